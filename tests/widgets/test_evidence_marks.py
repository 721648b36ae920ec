"""Evidence the reader can trust: unverified and news-only sources are marked wherever they are cited, a
statement whose sources are all unverified says it is unchecked, and every licensed therapy shows its side
effects with sources."""

from __future__ import annotations

import re

from markupsafe import escape

from widgets import FusionPartnerExplorer, sections
from widgets.citations import Citations


def test_an_unverified_source_is_marked_where_it_is_cited(guidance, shown) -> None:
    unverified = next(s for s in guidance.sources if not s.verified)
    cited = Citations(guidance).cite([unverified.id])
    assert f">{unverified.id}</a> <span class=\"ros1-unverified\">(unverified)</span>" in cited
    verified = next(s for s in guidance.sources if s.verified and s.kind not in ("news", "manufacturer"))
    assert "(unverified)" not in Citations(guidance).cite([verified.id])
    news = next(s for s in guidance.sources if s.kind == "news")
    assert "(news)" in Citations(guidance).cite([news.id])


def test_a_statement_resting_only_on_unverified_sources_says_it_is_unchecked(guidance, shown) -> None:
    fact = guidance.fact("partner-location")
    assert fact.checked is None and not any(guidance.source(s).verified for s in fact.sources)
    assert "Unchecked: the course has not verified its sources" in Citations(guidance).fact(fact)
    checked = guidance.fact("partner-outcome")
    assert "Unchecked" not in Citations(guidance).fact(checked)
    explorer = FusionPartnerExplorer(guidance, partner="SLC34A2")
    assert "Unchecked" in shown(explorer) and "(unverified)" in shown(explorer)


def test_the_reference_list_says_which_sources_were_not_verified(guidance) -> None:
    unverified = next(s for s in guidance.sources if not s.verified)
    listed = Citations(guidance).references([unverified.id])
    assert "Not verified by the course:" in listed and str(escape(unverified.note)) in listed


def test_every_licensed_therapy_shows_its_sourced_side_effects_or_says_they_are_not_sourced(guidance) -> None:
    cite = Citations(guidance)
    table = sections.side_effects(cite)
    rows = dict(re.findall(r'<th scope="row">([a-z-]+)</th><td>(.*?)</td>', table, re.S))
    for therapy in guidance.therapies:
        if therapy.investigational:
            continue
        if not therapy.side_effects:  # zidesamtinib: its label was not read, and the table says so
            assert rows[therapy.name] == "Not in the course&#39;s sources", therapy.name
        for effect in therapy.side_effects:
            assert str(escape(effect.text)) in table and effect.sources
        assert all(str(escape(m.text)) in table for m in therapy.monitoring)
    assert set(cite.cited) >= {s for t in guidance.therapies for e in t.side_effects for s in e.sources}


def test_side_effects_in_plain_words_say_no_more_than_the_statement(guidance) -> None:
    table = sections.plain_side_effects(Citations(guidance))
    plain = [(t.name, e) for t in guidance.therapies for e in t.side_effects if e.plain]
    assert plain
    for _name, effect in plain:
        assert str(escape(effect.plain)) in table and str(escape(effect.text)) in table
