"""The validated snapshot: kernels that find a fresh one load the content without pydantic; a changed
content file is never served from an old snapshot; what a snapshot holds reads as the validated content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from content import load_guidance
from content.fingerprint import content_fingerprint
from content.loader import DEFAULT_CONTENT_DIR, load_knowledge
from content.records import Record
from content.snapshot import SNAPSHOT_VARIABLE, read_snapshot, snapshot_path, write_snapshot

# What a kernel of the case app imports and builds, in a fresh interpreter; prints what it saw.
KERNEL_CODE = """
import json, sys
from content import load_guidance
from ros1_course.documents import handout_html
from ros1_course.navigation import app_navigation
from widgets import PresenterApp
app = PresenterApp(handout=handout_html, course_links=app_navigation())
g = load_guidance()
print(json.dumps({"pydantic": "pydantic" in sys.modules, "schema": "content.schema" in sys.modules,
                  "fingerprint": g.knowledge.fingerprint, "disclaimer": g.page.disclaimer_short}))
"""


def kernel_run(snapshots: Path | None, content_dir: Path | None = None) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if key != SNAPSHOT_VARIABLE}
    if snapshots is not None:
        env[SNAPSHOT_VARIABLE] = str(snapshots)
    code = KERNEL_CODE
    if content_dir is not None:
        code = code.replace("load_guidance()", f"load_guidance({str(content_dir)!r})")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_kernel_with_a_fresh_snapshot_never_imports_pydantic(tmp_path: Path) -> None:
    write_snapshot(load_knowledge(DEFAULT_CONTENT_DIR), tmp_path)
    seen = kernel_run(tmp_path)
    assert seen == {"pydantic": False, "schema": False, "fingerprint": content_fingerprint(DEFAULT_CONTENT_DIR),
                    "disclaimer": load_guidance().page.disclaimer_short}


LESSON_CODE = """
import json, sys
from ros1_course.lesson import Lesson
lesson = Lesson(5)
lesson.quiz(), lesson.topic("resistance"), lesson.references()
print(json.dumps({"pydantic": "pydantic" in sys.modules, "filelock": "filelock" in sys.modules,
                  "record": lesson.record is None}))
"""


def test_a_lesson_kernel_that_keeps_no_record_never_imports_pydantic(tmp_path: Path) -> None:
    # As under `ros1-course app` (no --record) and, later, in the browser: no record module, no validation.
    write_snapshot(load_knowledge(DEFAULT_CONTENT_DIR), tmp_path)
    env = {**os.environ, SNAPSHOT_VARIABLE: str(tmp_path), "ROS1_COURSE_RECORD": "0"}
    result = subprocess.run([sys.executable, "-c", LESSON_CODE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"pydantic": False, "filelock": False, "record": True}


def test_without_a_snapshot_the_kernel_validates(tmp_path: Path) -> None:
    seen = kernel_run(tmp_path)  # the directory is there, the snapshot is not
    assert seen["pydantic"] is True and seen["schema"] is True


def test_a_changed_content_file_is_never_read_from_the_old_snapshot(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    old = write_snapshot(load_knowledge(content), snapshots)
    page = content / "page.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "disclaimer_short: Education only, not a tool for treatment decisions.",
        "disclaimer_short: Education only; not for treatment decisions."), encoding="utf-8")
    assert read_snapshot(content, {SNAPSHOT_VARIABLE: str(snapshots)}) is None
    assert old.is_file() and not snapshot_path(snapshots, content_fingerprint(content)).exists()


def test_the_next_kernel_shows_the_edited_content(tmp_path: Path) -> None:
    """A content copy, snapshotted, then edited: the next kernel validates it and shows the edit."""
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    write_snapshot(load_knowledge(content), snapshots)
    assert kernel_run(snapshots, content)["disclaimer"] == load_guidance().page.disclaimer_short
    page = content / "page.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "disclaimer_short: Education only, not a tool for treatment decisions.",
        "disclaimer_short: Education only (edited), not a tool for treatment decisions."), encoding="utf-8")
    seen = kernel_run(snapshots, content)
    assert seen["disclaimer"] == "Education only (edited), not a tool for treatment decisions."
    assert seen["fingerprint"] == content_fingerprint(content)


def test_the_snapshot_reads_as_the_validated_content(tmp_path: Path) -> None:
    knowledge = load_knowledge(DEFAULT_CONTENT_DIR)
    write_snapshot(knowledge, tmp_path)
    loaded = read_snapshot(DEFAULT_CONTENT_DIR, {SNAPSHOT_VARIABLE: str(tmp_path)})
    assert loaded is not None and loaded.fingerprint == knowledge.fingerprint
    for validated, plain in zip(knowledge.sources, loaded.sources, strict=True):
        assert plain.link == validated.link and plain.checked == validated.checked
    for validated, plain in zip(knowledge.therapies, loaded.therapies, strict=True):
        assert [(u.setting, u.status, u.funded) for u in plain.uk] == [(u.setting, u.status, u.funded)
                                                                      for u in validated.uk]
    assert loaded.page.course_review.last_reviewed == knowledge.page.course_review.last_reviewed


@pytest.mark.parametrize("value", ["", "   "])
def test_no_snapshot_directory_means_validation(value: str) -> None:
    assert read_snapshot(DEFAULT_CONTENT_DIR, {SNAPSHOT_VARIABLE: value}) is None


def test_a_snapshot_others_could_write_is_never_loaded(tmp_path: Path) -> None:
    write_snapshot(load_knowledge(DEFAULT_CONTENT_DIR), tmp_path)
    environ = {SNAPSHOT_VARIABLE: str(tmp_path)}
    assert read_snapshot(DEFAULT_CONTENT_DIR, environ) is not None
    tmp_path.chmod(0o777)  # a shared folder: someone else could have put a snapshot there
    try:
        assert read_snapshot(DEFAULT_CONTENT_DIR, environ) is None
    finally:
        tmp_path.chmod(0o700)
    snapshot_path(tmp_path, content_fingerprint(DEFAULT_CONTENT_DIR)).write_bytes(b"not a pickle")
    assert read_snapshot(DEFAULT_CONTENT_DIR, environ) is None  # unreadable: the kernel validates instead


def test_in_the_browser_the_snapshot_unpacked_from_the_site_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pyodide unpacks the site's files writable by all, in a file system no other user shares."""
    write_snapshot(load_knowledge(DEFAULT_CONTENT_DIR), tmp_path)
    tmp_path.chmod(0o777)
    try:
        environ = {SNAPSHOT_VARIABLE: str(tmp_path)}
        assert read_snapshot(DEFAULT_CONTENT_DIR, environ) is None
        monkeypatch.setattr(sys, "platform", "emscripten")
        assert read_snapshot(DEFAULT_CONTENT_DIR, environ) is not None
    finally:
        tmp_path.chmod(0o700)


def test_a_record_is_equal_by_value_and_not_hashable_like_the_model_it_stands_for() -> None:
    assert Record(name="crizotinib", brands=["Xalkori"]) == Record(name="crizotinib", brands=["Xalkori"])
    assert Record(name="crizotinib") != Record(name="entrectinib")
    with pytest.raises(TypeError):
        hash(Record(name="crizotinib", brands=["Xalkori"]))
