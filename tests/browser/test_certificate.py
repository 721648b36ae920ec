"""`ros1-course record --certificate FILE.pdf --name NAME`, run as a trainee would: one A4 page printed by the
machine's Chromium, read back with poppler: the name as typed (HTML in it shown as text), the lessons completed
with when, the active time and the score, the totals, the content version and review status, and the disclaimer.
A lesson whose page reported sections not all seen is not completed; one with no page report (JupyterLab) is
completed by its self-check, with no time claimed for it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from content import Guidance
from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt

from .conftest import BIN, CHROMIUM, missing_in_ci_fails
from .test_print import pdf_pages, pdf_text, poppler

pytestmark = pytest.mark.browser


def certificate(data: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "ros1-course"), "record", *options], capture_output=True, text=True,
                          timeout=180, env={**os.environ, "ROS1_COURSE_DATA_DIR": str(data)}, check=False)


def test_the_certificate_is_one_a4_page_with_the_right_figures(tmp_path: Path, guidance: Guidance) -> None:
    if not CHROMIUM.exists():
        missing_in_ci_fails(f"{CHROMIUM} not found: install Debian's chromium to print the certificate")
    poppler()
    record = LearningRecord(tmp_path / "record.json")
    lesson_2, lesson_3 = guidance.questions(2), guidance.questions(3)
    for question in lesson_2:  # lesson 2 complete, its first question wrong
        chosen = [o for o in question.options if o in question.answer] if question is not lesson_2[0] else [
            next(o for o in question.options if o not in question.answer)]
        record.add(Attempt.now(question.id, 2, chosen, question is not lesson_2[0]))
    record.add(Attempt.now(lesson_3[0].id, 3, [lesson_3[0].options[0]], False))  # lesson 3 only started
    for lesson in (4, 5):  # every question of lessons 4 and 5 answered right
        for question in guidance.questions(lesson):
            record.add(Attempt.now(question.id, lesson, [o for o in question.options if o in question.answer], True))
    sections = ["Overview", "Summary"]
    assert record.note_activity(2, 1500, sections, ["Overview"]) == []
    assert record.note_activity(2, 2100, sections, ["Summary"]) == []  # 1 h in all, every section seen
    assert record.note_activity(4, 300, sections, ["Overview"]) == []  # lesson 4: its Summary never seen

    refused = certificate(tmp_path, "--certificate", str(tmp_path / "c.pdf"))
    assert refused.returncode == 2 and "--name" in refused.stderr and not (tmp_path / "c.pdf").exists()

    name = "Dr Ada <b>Lovelace</b> & Co"
    output = tmp_path / "certificate.pdf"
    result = certificate(tmp_path, "--certificate", str(output), "--name", name)
    assert result.returncode == 0, result.stderr
    assert f"Wrote the certificate for {name} (2 lessons completed)" in result.stdout
    assert pdf_pages(output) == 1
    info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = pdf_text(output)
    assert name in text  # as typed, the markup shown as text
    lessons_with_questions = len({q.lesson for q in guidance.questions()})
    assert f"completed 2 of {lessons_with_questions} lessons" in text
    titles = {lesson.number: lesson.title for lesson in guidance.lessons}
    assert f"{titles[2]} " in text and f" 1 h 0 min {len(lesson_2) - 1} of {len(lesson_2)}" in text
    lesson_5 = len(guidance.questions(5))
    assert f"{titles[5]} " in text and f" not recorded {lesson_5} of {lesson_5}" in text
    assert titles[3] not in text and titles[4] not in text  # only started; a section not seen
    assert "total active time 1 h 0 min (1 lesson with no time recorded)" in text
    assert f"Content version {guidance.knowledge.fingerprint}" in text
    assert guidance.page.course_review.reviewed_by in text
    assert " ".join(guidance.page.disclaimer.split()) in text

    page = tmp_path / "certificate.html"
    assert certificate(tmp_path, "--certificate", str(page), "--name", name).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert "Dr Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; Co" in html and "<b>Lovelace</b>" not in html
