"""FusionPartnerExplorer: choosing, finding, frequencies, notes and pictures."""

from __future__ import annotations

import ipywidgets as w
import pytest

from content import load_guidance
from widgets import FusionPartnerExplorer
from widgets.words import percent


def test_builds_with_no_arguments_and_shows_the_first_partner(guidance, shown):
    explorer = FusionPartnerExplorer()
    assert isinstance(explorer, w.VBox)
    first = guidance.partners[0]
    assert explorer.partner == first.symbol
    assert f"{first.symbol}-ROS1" in shown(explorer)


def test_dropdown_labels_show_aliases(guidance):
    explorer = FusionPartnerExplorer(guidance=guidance)
    gopc = guidance.partner("FIG")
    assert f"{gopc.symbol} (FIG)" in explorer.partner_menu._options_labels
    assert len(explorer.partner_menu._options_labels) == len(guidance.partners)


def test_choosing_ezr_shows_its_figure_cohort_and_source(guidance, shown):
    explorer = FusionPartnerExplorer(guidance=guidance)
    before = shown(explorer)
    explorer.partner = "EZR"
    text = shown(explorer)
    frequency = guidance.partner("EZR").frequency
    assert "17.0%" in text  # the stated figure
    assert percent(frequency.percent) in text
    assert frequency.cohort in text
    for source_id in frequency.sources:
        assert source_id in text
        assert guidance.source(source_id).citation in text  # in the references list
    assert text != before


def test_another_partner_than_the_cases_is_a_what_if(guidance, shown):
    case = guidance.case_partner.symbol
    explorer = FusionPartnerExplorer(guidance=guidance, partner=case)
    assert "What if" not in shown(explorer)
    explorer.partner = "EZR"
    assert f"What if: the case's fusion is {case}-ROS1; you are looking at EZR-ROS1 instead." in shown(explorer)


def test_typing_fig_finds_gopc(guidance, shown):
    explorer = FusionPartnerExplorer(guidance=guidance)
    explorer.find.value = "FIG"
    assert explorer.partner == "GOPC"
    assert "FIG is another name for GOPC" in shown(explorer)


def test_an_unknown_name_shows_the_error_not_a_traceback(guidance, shown):
    explorer = FusionPartnerExplorer(guidance=guidance)
    explorer.find.value = "NOTAGENE"
    assert explorer.partner == guidance.partners[0].symbol
    assert "no partner 'NOTAGENE'" in shown(explorer)
    explorer.find.value = ""
    assert "NOTAGENE" not in shown(explorer)


def test_a_partner_without_frequency_says_not_reported(guidance, shown):
    missing = next(p for p in guidance.partners if p.frequency is None)
    explorer = FusionPartnerExplorer(guidance=guidance, partner=missing.symbol)
    assert "Reported frequency: Not reported in the course's sources" in shown(explorer)


def test_notes_are_shown_with_their_sources(guidance, shown):
    partner = next(p for p in guidance.partners if p.notes)
    explorer = FusionPartnerExplorer(guidance=guidance, partner=partner.symbol)
    text = shown(explorer)
    for note in partner.notes:
        assert note.text in text
        assert all(source_id in text for source_id in note.sources)


def test_schematic_alt_text_gives_breakpoints_and_says_not_to_scale(guidance, alt_texts):
    explorer = FusionPartnerExplorer(guidance=guidance, partner="CD74")
    (alt,) = alt_texts(explorer)
    assert "CD74" in alt and "not to scale" in alt and "kinase domain" in alt
    assert f"ROS1 breaks {guidance.ros1.breakpoint}" in alt
    assert "partner breakpoint exon not confirmed" in alt


def test_a_sourced_partner_exon_replaces_not_confirmed(edit_content, alt_texts):
    content = edit_content("partners.yaml", "  - symbol: EZR\n", "  - symbol: EZR\n    breakpoint_exon: 10\n")
    explorer = FusionPartnerExplorer(guidance=load_guidance(content), partner="EZR")
    (alt,) = alt_texts(explorer)
    assert "EZR exon 10" in alt
    assert "not confirmed" not in alt


def test_each_schematic_is_drawn_once(guidance, draws):
    explorer = FusionPartnerExplorer(guidance=guidance, partner="CD74")
    for symbol in ("EZR", "CD74", "EZR", "CD74"):
        explorer.partner = symbol
    assert [name.shows for name in draws] == [("CD74",), ("EZR",)]


def test_comparison_is_drawn_only_when_shown_and_skips_missing_figures(guidance, shown, alt_texts):
    explorer = FusionPartnerExplorer(guidance=guidance)
    assert explorer.comparison.value == ""
    explorer.view.value = "Compare partners"
    (alt,) = alt_texts(explorer)
    text = shown(explorer)
    for partner in guidance.partners:
        if partner.frequency:
            assert f"{partner.symbol} {percent(partner.frequency.percent)}" in alt
            assert partner.frequency.cohort in text
        else:
            assert partner.symbol in alt.split("Not reported")[1]
            assert f"{partner.symbol} 0" not in alt
    explorer.view.value = "This partner"
    assert alt_texts(explorer) != [alt]


@pytest.mark.parametrize("name", ["fig", "Gopc", " GOPC "])
def test_find_is_forgiving_about_case_and_spaces(guidance, name):
    explorer = FusionPartnerExplorer(guidance=guidance)
    explorer.find.value = name
    assert explorer.partner == "GOPC"
