"""The handout for choices the app can leave open: no resistance mutation chosen, and the therapy the patient
progressed on not stated (the ResistanceExplorer's first state)."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import escape

from content.guidance import ACTIVITY_ORDER, EVIDENCE_ORDER
from ros1_course.documents import handout_html

TODAY = dt.date(2026, 11, 27)


def resistance_section(html: str) -> str:
    match = re.search(r'<section id="resistance">(.*?)</section>', html, re.S)
    assert match
    return match.group(1)


def test_therapy_not_stated_leaves_no_therapy_out(guidance, table_rows):
    html = handout_html(guidance, "EZR", ["G2032R"], None, today=TODAY)
    section = resistance_section(html)
    assert "After progression (therapy not stated)" in section and "Leaving out" not in section
    rows = table_rows(section)
    no_data = {r.therapy for r in guidance.activity_rows("G2032R") if not r.recorded}
    assert set(rows) == {t.name for t in guidance.therapies} - no_data
    assert all(therapy in section.split("No data in the course's sources:")[1] for therapy in no_data)
    rank = {row.therapy: (ACTIVITY_ORDER[row.activity], EVIDENCE_ORDER[row.evidence])
            for row in guidance.activity_rows("G2032R") if row.recorded}
    assert [rank[therapy] for therapy in rows] == sorted(rank.values())  # best evidence first
    assert rows["crizotinib"][0].endswith("Resistant")
    choices = re.search(r'<p id="choices">(.*?)</p>', html, re.S).group(1)
    assert "therapy progressed on not stated" in choices and "progressed on crizotinib" not in choices
    assert str(escape(guidance.fact("clinical-trials").text)) in section


def test_no_mutation_chosen_says_so(guidance):
    for after in ("crizotinib", None):
        html = handout_html(guidance, "EZR", [], after, today=TODAY)
        assert "No resistance mutation was chosen for this handout." in resistance_section(html)
        assert "resistance mutations found: none chosen." in html
        assert "<table" not in resistance_section(html)
