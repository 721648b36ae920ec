"""Lookups: case, aliases, spellings, the seed's erratum, and clear errors for unknown names."""

from __future__ import annotations

import pytest

from content import Guidance, UnknownEntryError


@pytest.mark.parametrize("query", ["CD74", "cd74", " Cd74 "])
def test_partner_lookup_ignores_case_and_spaces(guidance: Guidance, query: str) -> None:
    assert guidance.partner(query).symbol == "CD74"


@pytest.mark.parametrize("query", ["FIG", "fig"])
def test_partner_alias_resolves_with_a_note(guidance: Guidance, query: str) -> None:
    found = guidance.find("partner", query)
    assert found.entry.symbol == "GOPC"
    assert found.note is not None and "GOPC" in found.note


@pytest.mark.parametrize("query", ["G2032R", "g2032r", "p.G2032R", "p.Gly2032Arg", "ROS1 p.Gly2032Arg", "p.(G2032R)"])
def test_mutation_accepted_spellings(guidance: Guidance, query: str) -> None:
    found = guidance.find("mutation", query)
    assert found.entry.name == "G2032R"
    assert found.note is None


@pytest.mark.parametrize("query", ["G2023R", "g2023r", "p.G2023R"])
def test_seed_misspelling_resolves_to_g2032r_with_the_erratum(guidance: Guidance, query: str) -> None:
    found = guidance.find("mutation", query)
    assert found.entry.name == "G2032R"
    assert found.note and "typo" in found.note and "G2032R" in found.note
    assert "seed-genotes" in found.note_sources
    assert guidance.mutation(query).name == "G2032R"


def test_every_mutation_resolves_by_its_hgvs_name(guidance: Guidance) -> None:
    for mutation in guidance.mutations:
        assert guidance.mutation(mutation.hgvs_p) is mutation
        assert guidance.mutation(mutation.name.lower()) is mutation


def test_therapy_lookup_is_case_insensitive(guidance: Guidance) -> None:
    assert guidance.therapy("Repotrectinib").name == "repotrectinib"


def test_unknown_mutation_names_the_query_and_lists_known_names(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError) as raised:
        guidance.mutation("X9999Z")
    message = str(raised.value)
    assert "X9999Z" in message
    assert all(m.name in message for m in guidance.mutations)
    assert raised.value.kind == "mutation"


def test_near_miss_suggests_the_closest_names(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError) as raised:
        guidance.partner("EZRR")
    assert raised.value.suggestions[0] == "EZR"
    assert "did you mean 'EZR'" in str(raised.value)
    with pytest.raises(UnknownEntryError) as raised:
        guidance.therapy("lorlatanib")
    assert "lorlatinib" in raised.value.suggestions


def test_unknown_kind_and_source_raise_typed_errors(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError, match="kind of entry"):
        guidance.find("gene", "ROS1")
    with pytest.raises(UnknownEntryError, match="no source 'nope'"):
        guidance.source("nope")
    with pytest.raises(UnknownEntryError, match="no fact"):
        guidance.fact("nope")


def test_empty_query_is_unknown_not_an_empty_answer(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError):
        guidance.partner("")
    with pytest.raises(UnknownEntryError):
        guidance.mutation("   ")


def test_sources_of_keeps_first_order_and_drops_repeats(guidance: Guidance) -> None:
    ids = [s.id for s in guidance.sources_of(["lin2021", "awad2013", "lin2021"])]
    assert ids == ["lin2021", "awad2013"]


def test_every_source_has_a_link(guidance: Guidance) -> None:
    for source in guidance.sources:
        assert source.link.startswith(("https://", "http://")), source.id


def test_a_very_long_query_is_shortened_in_the_message(guidance: Guidance) -> None:
    query = "G2032R" * 100
    with pytest.raises(UnknownEntryError) as raised:
        guidance.mutation(query)
    message = str(raised.value)
    assert raised.value.query == query, "the error keeps the whole query for code that needs it"
    assert query not in message and len(message.split(";")[0]) < 60


@pytest.mark.parametrize(("brand", "therapy"), [("Xalkori", "crizotinib"), ("ROZLYTREK", "entrectinib"),
                                                ("lorviqua", "lorlatinib"), ("Lorbrena", "lorlatinib"),
                                                ("Augtyro", "repotrectinib"), ("Ibtrozi", "taletrectinib")])
def test_brand_names_from_the_labels_find_the_drug(guidance: Guidance, brand: str, therapy: str) -> None:
    found = guidance.find("therapy", brand)
    assert found.entry.name == therapy
    assert found.note.lower() == f"{brand} is a brand name of {therapy}.".lower()


@pytest.mark.parametrize("name", ["CD74-ROS1", "ROS1-CD74", "cd74::ros1", "CD74/ROS1", " cd74 - ros1 "])
def test_fusion_names_find_the_partner(guidance: Guidance, name: str) -> None:
    assert guidance.partner(name).symbol == "CD74"


def test_ros1_alone_is_not_a_partner(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError):
        guidance.partner("ROS1")
