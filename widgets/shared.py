"""Sections that are the same for every visitor (the disclaimer, the review status, the list of sources, each
topic's facts, the options in each line, the glossary's terms), rendered once per content version and day.

A renderer of `sections` marked `@shared("name")` is looked up before it is rendered: in this process's memory,
then in the store `ros1-course app` fills before any visitor arrives (a folder named by
$ROS1_COURSE_SHARED_HTML, one file per content fingerprint and day), and only then rendered here (and kept in
memory). Each section keeps the sources it cites, so a page's reference list is the same either way. The day is
part of the key because a statement's review warning depends on it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from markupsafe import Markup

from content import Guidance
from content.private import written_privately

from .citations import Citations

SHARED_HTML_STORE = "ROS1_COURSE_SHARED_HTML"
P = ParamSpec("P")
SectionRenderer = Callable[Concatenate[Citations, P], Markup]


@dataclass(frozen=True)
class Rendered:
    """A shared section's HTML and the sources it cites, in order."""

    html: Markup
    cited: tuple[str, ...]


_kept: dict[tuple[str, str], dict[str, Rendered]] = {}
_names: dict[Callable[..., Markup], str] = {}  # each shared renderer's name


def shared(name: str) -> Callable[[SectionRenderer[P]], SectionRenderer[P]]:
    """Mark a section renderer whose HTML depends only on the content, the day and its own arguments (text,
    numbers or None): it is rendered once and reused."""

    def mark(render: SectionRenderer[P]) -> SectionRenderer[P]:
        @functools.wraps(render)
        def reuse(cite: Citations, /, *args: P.args, **kwargs: P.kwargs) -> Markup:
            day = cite.today or dt.date.today()
            kept = _sections(cite.guidance, day)
            key = section_key(name, *args, **kwargs)
            if key not in kept:
                fresh = Citations(cite.guidance, day)
                kept[key] = Rendered(render(fresh, *args, **kwargs), tuple(fresh.cited))
            cite.cited += kept[key].cited
            return kept[key].html

        _names[reuse] = name
        return reuse

    return mark


def section_key(name: str, *args: Any, **kwargs: Any) -> str:
    """A shared section's name with the arguments it was rendered for."""
    return json.dumps([name, list(args), dict(sorted(kwargs.items()))], separators=(",", ":"))


def fill_store(calls: Iterable[tuple[Callable[..., Markup], tuple[Any, ...]]], guidance: Guidance, folder: Path,
               day: dt.date | None = None) -> Path:
    """Render each call (a `@shared` renderer and its arguments after the citations) for this content and day,
    and write them all, atomically, into `folder`; returns the file."""
    day = day or dt.date.today()
    record: dict[str, dict[str, Any]] = {}
    for render, args in calls:
        cite = Citations(guidance, day)
        html = render(cite, *args)
        record[section_key(_names[render], *args)] = {"html": str(html), "cited": cite.cited}
    target = store_file(folder, guidance.knowledge.fingerprint, day)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False, encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(out.name, target)
    return target


def store_file(folder: Path, fingerprint: str, day: dt.date) -> Path:
    """Where the shared sections of this content version and day are kept."""
    return folder / fingerprint / f"{day.isoformat()}.json"


def _sections(guidance: Guidance, day: dt.date) -> dict[str, Rendered]:
    """The shared sections of this content and day known to this process (read from the store the first time)."""
    key = (guidance.knowledge.fingerprint, day.isoformat())
    if key not in _kept:
        _kept[key] = _load(key[0], day)
    return _kept[key]


def _load(fingerprint: str, day: dt.date) -> dict[str, Rendered]:
    """The store's sections for this content and day, if the course's server wrote them; else none."""
    folder = os.environ.get(SHARED_HTML_STORE, "").strip()
    if not folder:
        return {}
    path = store_file(Path(folder), fingerprint, day)
    try:
        if not written_privately(path):
            return {}
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {key: Rendered(Markup(entry["html"]), tuple(entry["cited"])) for key, entry in stored.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # missing or unreadable: render here

