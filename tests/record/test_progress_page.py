"""*My progress* of the static site, in Python: the record's progress, its summary, certificate and xAPI
statements as downloads, and deleting it only after the confirmation."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from content import Guidance
from ros1_course.progress_page import ProgressPage
from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt


def test_the_page_shows_the_record_and_deletes_it_only_once_confirmed(tmp_path: Path, guidance: Guidance) -> None:
    record = LearningRecord(tmp_path / "record.json")
    question = guidance.questions(2)[0]
    record.add(Attempt.now(question.id, 2, ["<b>an option</b>"], True))
    page = ProgressPage(record, guidance)
    questions = len(guidance.questions(2))
    assert (f'<th scope="row">Lesson 2</th><td>{questions}</td><td>1</td><td>1</td><td>not recorded</td>'
            '<td>not recorded</td><td>not yet</td>') in page.summary.value
    assert "1 attempt saved." in page.summary.value
    summary = download(page.downloads.value, "ros1-course-learning-record.html")
    assert "Learning record" in summary and "&lt;b&gt;an option&lt;/b&gt;" in summary
    assert "ros1-course-certificate.html" not in page.downloads.value  # no name typed yet
    assert json.loads(download(page.downloads.value, "ros1-course-xapi.json"))[0]["actor"].get("name") is None
    page.name.value = "Dr <i>A.</i> Trainee"
    certificate = download(page.downloads.value, "ros1-course-certificate.html")
    assert "Certificate of completion" in certificate and "Dr &lt;i&gt;A.&lt;/i&gt; Trainee" in certificate
    statements = json.loads(download(page.downloads.value, "ros1-course-xapi.json"))
    assert statements[0]["actor"]["name"] == "Dr <i>A.</i> Trainee"

    learner = (tmp_path / "learner-id").read_text(encoding="utf-8")
    assert page.delete_button.disabled
    page.delete()
    assert record.path.exists()  # not confirmed: nothing deleted
    page.confirm.value = True
    assert not page.delete_button.disabled
    page.delete_button.click()
    assert not record.path.exists() and "deleted" in page.status.value
    assert (tmp_path / "learner-id").read_text(encoding="utf-8") != learner  # a new random id from now on
    assert "0 attempts saved." in page.summary.value and not page.confirm.value


def download(links: str, file_name: str) -> str:
    """The text a download link of the page holds."""
    address = links.split(f'download="{file_name}" href="', 1)[1].split('"', 1)[0]
    return base64.b64decode(address.split("base64,", 1)[1]).decode("utf-8")
