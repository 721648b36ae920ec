"""The pictures the course shows, named from the content, and the store where drawn pictures are kept.

`catalogue(guidance)` lists every picture the course can show: each partner's fusion schematic, the partner
frequency chart, each fact's figures, the full activity grid and the grid of every choice of up to
`GRID_CHOICES_STORED` mutations. `ros1-course app` draws them all once into a store (a folder named by
$ROS1_COURSE_PICTURE_STORE, one subfolder per content fingerprint) before any visitor arrives, so visitors'
kernels read PNG files and never import matplotlib. A picture that is not in the store is drawn where it is
asked for, and a warning names it: add it to the catalogue.

A page the course's server serves shows a stored picture by its address (the server names the prefix in
$ROS1_COURSE_PICTURE_URL and serves the store read-only, `picture_png`), so a visitor's choice sends a short
<img> and the browser keeps each picture once. Documents (the handout) and notebooks opened elsewhere carry the
picture inline, so they open offline and on their own.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import logging
import os
import re
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from content import Guidance

from .render import render

PICTURE_STORE = "ROS1_COURSE_PICTURE_STORE"
PICTURE_URL = "ROS1_COURSE_PICTURE_URL"
PICTURE_ROUTE = "ros1-course/pictures"
# What the server accepts in a picture's address: the content's fingerprint and the picture's stored name.
FINGERPRINT_PATTERN, NAME_PATTERN = r"[0-9a-f]{8,64}", r"[A-Za-z0-9][A-Za-z0-9_-]{0,200}"
GRID_CHOICES_STORED = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Picture:
    """A drawn picture: PNG bytes, its text alternative and, when the course's server serves it from the store,
    its address there ('' otherwise)."""

    png: bytes
    alt: str
    address: str = ""

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels, from the PNG's header."""
        width, height = struct.unpack(">II", self.png[16:24])
        return int(width), int(height)

    def html(self, caption: str = "", inline: bool = False) -> Markup:
        """An <img> with alt text and its size inside a <figure>, with an optional caption (text, or safe
        HTML). The picture is referred to by its address when it has one, unless `inline` (a document that must
        open on its own): then, and without an address, the PNG travels in the page."""
        source = self.address if self.address and not inline else (
            "data:image/png;base64," + base64.b64encode(self.png).decode("ascii"))
        width, height = self.size
        return render("figure.html.j2", source=source, alt=self.alt, width=width, height=height, caption=caption)


@dataclass(frozen=True)
class PictureName:
    """Which picture: its kind ('schematic', 'partner-frequencies', 'activity', 'figure') and what it shows
    (a partner's symbol, the mutations, a fact's id)."""

    kind: str
    shows: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """The picture's name in the store and in its address."""
        return "-".join((self.kind, *self.shows))

    @property
    def file_name(self) -> str:
        return self.stem + ".json"


@dataclass(frozen=True)
class FrequencyGroup:
    """Partners whose frequencies come from one cohort and its sources, and the mark that tells the groups
    apart in the chart (empty when there is one group)."""

    mark: str
    cohort: str
    sources: tuple[str, ...]


def frequency_groups(guidance: Guidance) -> dict[str, FrequencyGroup]:
    """Each partner with a reported frequency, largest first, and its cohort's group."""
    reported = sorted(((p.symbol, p.frequency) for p in guidance.partners if p.frequency),
                      key=lambda pair: -pair[1].percent)
    cohorts = list(dict.fromkeys((f.cohort, tuple(f.sources)) for _, f in reported))
    marks = {c: f" ({chr(ord('a') + i)})" if len(cohorts) > 1 else "" for i, c in enumerate(cohorts)}
    return {symbol: FrequencyGroup(marks[(f.cohort, tuple(f.sources))], f.cohort, tuple(f.sources))
            for symbol, f in reported}


def schematic(guidance: Guidance, symbol: str) -> Picture:
    """The fusion protein of one partner with ROS1."""
    return _picture(guidance, PictureName("schematic", (guidance.partner(symbol).symbol,)))


def partner_frequencies(guidance: Guidance) -> Picture:
    """The partners' reported frequencies as bars; partners without a figure are named, not drawn."""
    return _picture(guidance, PictureName("partner-frequencies"))


def activity_grid(guidance: Guidance, mutations: tuple[str, ...] = ()) -> Picture:
    """Every therapy against the mutations named (all of the course's when none are named)."""
    names = tuple(m.name for m in guidance.mutations if not mutations or m.name in mutations)
    return _picture(guidance, PictureName("activity", names))


def fact_figure(guidance: Guidance, fact_id: str) -> Picture:
    """A fact's reported figures as bars."""
    return _picture(guidance, PictureName("figure", (guidance.fact(fact_id).id,)))


def catalogue(guidance: Guidance) -> list[PictureName]:
    """Every picture the course can show, as named from the content."""
    mutations = [m.name for m in guidance.mutations]
    grids = [combination for size in range(1, GRID_CHOICES_STORED + 1)
             for combination in itertools.combinations(mutations, size)]
    return [
        *(PictureName("schematic", (p.symbol,)) for p in guidance.partners),
        PictureName("partner-frequencies"),
        *(PictureName("activity", grid) for grid in dict.fromkeys([*grids, tuple(mutations)])),
        *(PictureName("figure", (f.id,)) for f in guidance.facts() if f.figures),
    ]


def draw(guidance: Guidance, name: PictureName) -> Picture:
    """Draw the named picture from the content (imports matplotlib)."""
    from . import drawing

    g = guidance
    if name.kind == "schematic":
        partner = g.partner(name.shows[0])
        return Picture(*drawing.fusion_schematic(partner.symbol, partner.breakpoint_exon, g.ros1.breakpoint))
    if name.kind == "partner-frequencies":
        groups = frequency_groups(g)
        percents = {p.symbol: p.frequency.percent for p in g.partners if p.frequency}
        bars = tuple((symbol, percents[symbol], group.mark) for symbol, group in groups.items())
        return Picture(*drawing.frequency_chart(bars, tuple(p.symbol for p in g.partners if not p.frequency)))
    if name.kind == "activity":
        rows = g.activity_rows(*name.shows)
        return Picture(*drawing.activity_heatmap(name.shows, tuple(t.name for t in g.therapies),
                                                 tuple((row.activity, row.evidence) for row in rows)))
    if name.kind == "figure":
        fact = g.fact(name.shows[0])
        bars = tuple((f"{f.label} (n={f.of:,})" if f.of else f.label, f.value, f.unit) for f in fact.figures)
        return Picture(*drawing.figure_bars("", bars))
    raise ValueError(f"no kind of picture {name.kind!r}")


def fill_store(guidance: Guidance, folder: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """Draw every picture of the catalogue into `folder` (for this content's fingerprint); returns the
    subfolder that holds them. `progress(done, total)` is called after each picture."""
    names = catalogue(guidance)
    target = folder / guidance.knowledge.fingerprint
    target.mkdir(parents=True, exist_ok=True)
    for done, name in enumerate(names, 1):
        _store(target / name.file_name, draw(guidance, name))
        if progress:
            progress(done, len(names))
    return target


_drawn: dict[tuple[str, PictureName], Picture] = {}


def _picture(guidance: Guidance, name: PictureName) -> Picture:
    """The picture from this process's memory, the store, or drawn now (and kept in both)."""
    key = (guidance.knowledge.fingerprint, name)
    if key in _drawn:
        return _drawn[key]
    folder = os.environ.get(PICTURE_STORE)
    path = Path(folder) / key[0] / name.file_name if folder else None
    picture = _load(path) if path else None
    if picture is None:
        if path:
            log.warning("picture %s is not in the store %s: drawing it here (add it to pictures.catalogue)",
                        name.file_name, folder)
        picture = draw(guidance, name)
        if path:
            _store(path, picture)
    prefix = os.environ.get(PICTURE_URL, "")
    if prefix and path and path.is_file():
        picture = dataclasses.replace(picture, address=f"{prefix.rstrip('/')}/{key[0]}/{name.stem}.png")
    _drawn[key] = picture
    return picture


def picture_png(folder: Path, fingerprint: str, stem: str) -> bytes | None:
    """The PNG of a stored picture, by the parts of its address (None for a name that is not a stored
    picture's: only names of the store's own form are read, never a path)."""
    if not (re.fullmatch(FINGERPRINT_PATTERN, fingerprint) and re.fullmatch(NAME_PATTERN, stem)):
        return None
    picture = _load(folder / fingerprint / f"{stem}.json")
    return picture.png if picture else None


def _load(path: Path) -> Picture | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return Picture(base64.b64decode(stored["png"]), stored["alt"])
    except (OSError, ValueError, KeyError):
        return None


def _store(path: Path, picture: Picture) -> None:
    """Write the picture atomically (a reader sees it whole or not at all); a store that cannot be written
    only costs a redraw."""
    record = json.dumps({"png": base64.b64encode(picture.png).decode("ascii"), "alt": picture.alt})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
            handle.write(record)
        os.replace(handle.name, path)
    except OSError:
        pass
