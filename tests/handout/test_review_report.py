"""`ros1-course review`: the reviewer's report lists every clinical statement with its sources, their kinds and
verified flags and its checked date, grouped by file, with the counts at the top; run as a user would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from markupsafe import escape

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))


def write_report(tmp_path: Path) -> str:
    assert SCRIPT
    output = tmp_path / "review.html"
    result = subprocess.run([SCRIPT, "review", "-o", str(output)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return output.read_text(encoding="utf-8")


def count(html: str, label: str) -> int:
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(\d+)</td>', html)
    assert match, label
    return int(match.group(1))


def test_every_statement_is_listed_with_its_evidence(tmp_path: Path, guidance) -> None:
    html = write_report(tmp_path)
    items = guidance.review_items()
    assert count(html, "Clinical statements") == len(items) > 100
    rows = re.findall(r'<tr><th scope="row">line \d+: (.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>', html)
    assert len(rows) == len(items)
    for item, (field, says, sources, checked) in zip(items, rows, strict=True):
        assert (str(escape(item.field)), str(escape(item.says))) == (field, says.split(" <strong>Warning")[0])
        assert all(source_id in sources for source_id in item.sources)
        assert checked.startswith(item.checked.isoformat() if item.checked else "unchecked")


def test_activity_cells_quiz_keys_and_glossary_claims_are_in_it(tmp_path: Path, guidance) -> None:
    html = write_report(tmp_path)
    for row in guidance.knowledge.activity:
        if row.sources:
            assert f"{row.mutation} / {row.therapy}: {row.activity} ({row.evidence} evidence)" in html
    for question in guidance.questions():
        answer = ", ".join(sorted(question.answer))
        assert str(escape(answer)) in html, question.id
    for term in guidance.glossary:
        if term.sources:
            assert str(escape(term.definition)) in html


def test_unverified_sources_and_weak_statements_are_flagged_and_counted(tmp_path: Path, guidance) -> None:
    html = write_report(tmp_path)
    unverified = [s for s in guidance.sources if not s.verified]
    assert count(html, "&nbsp;&nbsp;not verified") == len(unverified) > 0
    assert html.count("NOT verified)") >= 1
    assert count(html, "Resting only on unverified, news or manufacturer sources") == len(guidance.weak_statements())
    for source in unverified:
        assert f'<tr><th scope="row">{source.id}</th><td>{source.kind}</td><td>NO' in html
    course = guidance.page.course_review
    assert course.next_review_due.isoformat() in html or f"{course.next_review_due.day} " in html
