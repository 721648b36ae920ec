"""Glossary terms in widget text: first use explained once, in an accessible tooltip, never inside links."""

from __future__ import annotations

import re

from markupsafe import escape

from content import Guidance
from widgets import ResistanceExplorer
from widgets.terms import with_terms


def test_first_use_of_each_term_gets_a_described_tooltip(guidance: Guidance) -> None:
    html = with_terms(guidance, "<p>G2032R sits at the solvent front; the solvent front again, and a TKI.</p>")
    described = re.findall(r'<span class="ros1-term" tabindex="0" aria-describedby="([^"]+)">([^<]+)</span>', html)
    assert [word for _, word in described] == ["solvent front", "TKI"], "each term once, at its first use"
    for tip_id, _ in described:
        assert f'role="tooltip" id="{tip_id}"' in html
    assert str(escape(guidance.term("solvent-front").definition)) in html


def test_terms_inside_links_headings_and_styles_are_left_alone(guidance: Guidance) -> None:
    html = "<style>.fusion{}</style><h3>Fusion</h3><a href='#'>fusion</a><p>no term here</p>"
    assert with_terms(guidance, html) == html


def test_the_resistance_table_explains_its_terms(guidance: Guidance) -> None:
    table = ResistanceExplorer(guidance=guidance, mutations=["G2032R"]).table.value
    assert 'class="ros1-term"' in table and "Solvent front:" in table
    ids = re.findall(r'aria-describedby="([^"]+)"', table)
    assert len(ids) == len(set(ids)), "tooltip ids are unique"
