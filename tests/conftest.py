"""Fixtures shared by every test: the course's guidance and writable copies of its content."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from content import Guidance, load_guidance
from content.loader import DEFAULT_CONTENT_DIR

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# No test, and no kernel a test starts (nbval, Voila), writes a learning record into the real user data dir.
os.environ["ROS1_COURSE_DATA_DIR"] = tempfile.mkdtemp(prefix="ros1-course-test-record-")


@pytest.fixture(scope="session")
def guidance() -> Guidance:
    """The course's own content, loaded once."""
    return load_guidance()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/data to break or change in a test."""
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


@pytest.fixture
def edit_content(content_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace `old` by `new` in one content file of the copy (the text must be there exactly once)."""

    def edit(file_name: str, old: str, new: str) -> Path:
        path = content_copy / file_name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should appear once in {file_name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return content_copy

    return edit
