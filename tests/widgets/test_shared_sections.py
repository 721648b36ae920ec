"""Sections every visitor sees alike are rendered once per content version and day: `ros1-course app` writes
them into a store, and a kernel that finds them there shows them without rendering, with the same HTML and the
same citations as if it had rendered them; changed content, another day or a store others could write is never
used."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from content import load_guidance
from ros1_course.lesson import Lesson
from widgets import sections, shared
from widgets.citations import Citations

BUILD_APP_AND_LESSON = """
import json
from ros1_course.lesson import Lesson
from widgets import PresenterApp
from widgets.render import environment
app = PresenterApp()
for title in ("The fusion", "Who gets it", "First-line treatment", "Progression and resistance"):
    app.section(title)
lesson = Lesson(4, record=False)
shown = [lesson.header().data, lesson.topic("treatment").data, lesson.options("first").data,
         lesson.glossary("tki").data, lesson.references().data]
print(json.dumps({"templates": [key[1] for key in environment().cache.keys()], "lesson": shown}))
"""
SHARED_TEMPLATES = {"review_status.html.j2", "disclaimer.html.j2", "disclaimer_line.html.j2", "term.html.j2",
                    "side_effects.html.j2", "brain.html.j2", "options_table.html.j2"}


def build_in_new_process(store: Path | None) -> dict:
    """Build the app's sections and a lesson's panels in a fresh Python process (as a kernel does)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if store is not None:
        env[shared.SHARED_HTML_STORE] = str(store)
    result = subprocess.run([sys.executable, "-c", BUILD_APP_AND_LESSON], capture_output=True, text=True, env=env,
                            check=True, timeout=120)
    return json.loads(result.stdout)


@pytest.fixture
def store(tmp_path: Path, guidance) -> Path:
    """The shared sections of the course as `ros1-course app` writes them before any visitor arrives."""
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o700)
    shared.fill_store(sections.shared_catalogue(guidance), guidance, folder)
    return folder


def test_a_kernel_that_finds_the_store_renders_none_of_its_sections_and_shows_the_same(store: Path) -> None:
    reused, rendered = build_in_new_process(store), build_in_new_process(None)
    assert reused["lesson"] == rendered["lesson"], "same HTML, same reference list, from the store or not"
    assert set(rendered["templates"]) >= SHARED_TEMPLATES
    assert not SHARED_TEMPLATES & set(reused["templates"]), "the shared sections' templates were never loaded"


def test_the_store_holds_every_section_of_the_catalogue_with_what_it_cites(store: Path, guidance) -> None:
    stored = json.loads(shared.store_file(store, guidance.knowledge.fingerprint, dt.date.today()).read_text())
    assert len(stored) == len(sections.shared_catalogue(guidance))
    names = {json.loads(key)[0] for key in stored}
    assert {"disclaimer", "review-status", "sources", "topic", "options", "term", "side-effects", "brain"} <= names
    assert sum(json.loads(key)[0] == "term" for key in stored) == len(guidance.glossary)
    options = next(entry for key, entry in stored.items() if json.loads(key) == ["options", ["first"], {}])
    assert "crizotinib" in options["html"] and "nice-ta1021" in options["cited"]


def test_a_lesson_cites_the_same_sources_in_the_same_order_either_way(store: Path, guidance,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def cited() -> list[str]:
        lesson = Lesson(3, guidance, record=False)
        lesson.header()
        lesson.topic("brain")
        lesson.glossary("metastatic", "tki")
        lesson.brain()
        return lesson.cite.cited

    monkeypatch.setattr(shared, "_kept", {})
    rendered = cited()
    monkeypatch.setenv(shared.SHARED_HTML_STORE, str(store))
    monkeypatch.setattr(shared, "_kept", {})
    assert cited() == rendered and rendered


def test_changed_content_is_rendered_afresh_not_taken_from_the_store(store: Path, edit_content, guidance,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(shared.SHARED_HTML_STORE, str(store))
    monkeypatch.setattr(shared, "_kept", {})
    disclaimer = guidance.page.disclaimer.split(".")[0]
    changed = load_guidance(edit_content("page.yaml", disclaimer, disclaimer + " (edited)"))
    assert "(edited)" in sections.disclaimer(Citations(changed))
    assert "(edited)" not in sections.disclaimer(Citations(guidance))


def test_another_day_is_rendered_for_that_day(store: Path, guidance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(shared.SHARED_HTML_STORE, str(store))
    monkeypatch.setattr(shared, "_kept", {})
    far = guidance.page.course_review.next_review_due + dt.timedelta(days=3650)
    later = sections.review_status(Citations(guidance, far))
    today = sections.review_status(Citations(guidance))
    assert later != today
    assert sections.review_status(Citations(guidance, far)) == later


def test_a_store_others_could_write_is_not_used(store: Path, guidance, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared.store_file(store, guidance.knowledge.fingerprint, dt.date.today())
    stored = json.loads(path.read_text())
    key = shared.section_key("disclaimer")
    stored[key]["html"] = "<p>planted</p>"
    path.write_text(json.dumps(stored))
    monkeypatch.setenv(shared.SHARED_HTML_STORE, str(store))
    monkeypatch.setattr(shared, "_kept", {})
    assert sections.disclaimer(Citations(guidance)) == "<p>planted</p>", "the server's own store is read"
    path.chmod(0o666)
    monkeypatch.setattr(shared, "_kept", {})
    assert "planted" not in sections.disclaimer(Citations(guidance))
