"""The content's version: a short hash of its files, so that what was made from the content (stored lesson
outputs, pictures, the validated snapshot) can be checked against it. No pydantic, so kernels can afford it."""

from __future__ import annotations

import hashlib
from pathlib import Path

# The course's own content directory.
DEFAULT_CONTENT_DIR = Path(__file__).parent / "data"
# Every content file, in the order they are hashed (and validated: `loader.FILE_SHAPES` has the same names).
CONTENT_FILES = ("sources.yaml", "page.yaml", "facts.yaml", "partners.yaml", "therapies.yaml", "mutations.yaml",
                 "activity.yaml", "scenario.yaml", "questions.yaml", "glossary.yaml", "lessons.yaml")


def content_fingerprint(directory: Path) -> str:
    """The first 12 hex digits of a SHA-256 over each file's name and bytes (a missing file counts as
    empty, so it changes the fingerprint; validation reports it)."""
    digest = hashlib.sha256()
    for name in CONTENT_FILES:
        path = directory / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return digest.hexdigest()[:12]
