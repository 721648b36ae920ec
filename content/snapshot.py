"""The validated content, written once per content version by the server (and `make notebooks`) and read by
every kernel it starts, so that kernels skip validation and never import pydantic or the schema.

A snapshot is a pickle of the `Knowledge` with plain records (`records.py`), named by the content's
fingerprint. A kernel uses it only when the content files still have that fingerprint: a changed content
file means a new fingerprint, no matching snapshot, and full validation (never unvalidated data). Only the
course's own server writes snapshots, into a directory it made for them; a kernel reads nothing else.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import fields, replace
from pathlib import Path

from .fingerprint import content_fingerprint
from .knowledge import Knowledge
from .private import written_privately
from .records import as_records

SNAPSHOT_VARIABLE = "ROS1_COURSE_SNAPSHOTS"
NOT_CONTENT = frozenset({"directory", "lines", "fingerprint"})  # the Knowledge fields that hold no records


def snapshot_path(directory: Path, fingerprint: str) -> Path:
    """Where the snapshot of this content version lives."""
    return directory / f"content-{fingerprint}.pickle"


def write_snapshot(knowledge: Knowledge, directory: Path) -> Path:
    """Write the validated knowledge as plain records (atomically: a reader sees all of it or none)."""
    content = [field.name for field in fields(Knowledge) if field.name not in NOT_CONTENT]
    plain = replace(knowledge, **{name: as_records(getattr(knowledge, name)) for name in content}, lines={})
    target = snapshot_path(directory, knowledge.fingerprint)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".snapshot-", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(plain, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)
    return target


def read_snapshot(content_dir: Path, environ: dict[str, str] | os._Environ[str] = os.environ) -> Knowledge | None:
    """The snapshot of the content as it is now in `content_dir`, if the server wrote one; else None."""
    directory = environ.get(SNAPSHOT_VARIABLE, "").strip()
    if not directory:
        return None
    path = snapshot_path(Path(directory), content_fingerprint(content_dir))
    if not path.is_file() or not written_privately(path):
        return None
    try:
        with path.open("rb") as source:
            knowledge = pickle.load(source)  # written by this user's own server, in a folder only they write
    except Exception:  # an unreadable snapshot: validate instead
        return None
    if not isinstance(knowledge, Knowledge) or knowledge.directory != content_dir:
        return None
    return knowledge

