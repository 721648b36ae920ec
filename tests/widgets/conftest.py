"""Helpers for driving the widgets in Python and reading what they show."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import ipywidgets as w
import pytest

from widgets import pictures


class _Text(HTMLParser):
    """The text a reader sees in an HTML fragment (no tags, no <style>, no glossary tooltips, which show only
    on hover or focus; entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._tip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._break(tag)
        self._skip += tag in ("style", "script")
        if self._tip_depth or "ros1-term-tip" in (dict(attrs).get("class") or ""):
            self._tip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        self._break(tag)
        self._skip -= tag in ("style", "script")
        self._tip_depth -= 1 if self._tip_depth else 0

    def _break(self, tag: str) -> None:
        """Block-level tags separate words; inline ones (span, strong, a, ...) do not."""
        if tag not in ("span", "strong", "em", "a", "b", "i", "code", "abbr", "sup", "sub"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._tip_depth:
            self.parts.append(data)


def html_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def visible(widget: w.Widget) -> Iterator[w.Widget]:
    """The widget and its descendants, skipping hidden ones."""
    layout = getattr(widget, "layout", None)
    if layout is not None and layout.display == "none":
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from visible(child)


@pytest.fixture
def shown() -> Callable[[w.Widget], str]:
    """The text a widget shows now: every visible HTML and Label value, tags stripped."""

    def text(widget: w.Widget) -> str:
        parts = [part for part in visible(widget) if isinstance(part, w.HTML | w.Label)]
        return " ".join(html_text(part.value) for part in parts)

    return text


@pytest.fixture
def alt_texts() -> Callable[[w.Widget], list[str]]:
    """The alt text of every visible picture in a widget."""

    def alts(widget: w.Widget) -> list[str]:
        found = []
        for part in visible(widget):
            if isinstance(part, w.HTML):
                found += [html_text(alt) for alt in re.findall(r'<img [^>]*alt="([^"]*)"', part.value)]
        return found

    return alts


@pytest.fixture
def table_rows() -> Callable[[str], dict[str, tuple[str, ...]]]:
    """Rows of the tables in an HTML value: therapy -> its cells after the therapy's name (for an activity table:
    activity, evidence, the UK status when the table is in a setting, why, sources).
    With several tables the last row of a therapy wins, so pass one table's HTML where that matters."""

    def rows(html: str) -> dict[str, tuple[str, ...]]:
        found = {}
        for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html):
            cells = [html_text(cell) for cell in re.split(r"</th>|</td>", row) if cell.strip()]
            found[cells[0]] = tuple(cells[1:])
        return found

    return rows


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[pictures.PictureName]:
    """The pictures drawn during the test, in order (none remembered from before it, no shared store)."""
    drawn: list[pictures.PictureName] = []
    draw = pictures.draw

    def counted(guidance, name: pictures.PictureName) -> pictures.Picture:
        drawn.append(name)
        return draw(guidance, name)

    monkeypatch.setattr(pictures, "_drawn", {})
    monkeypatch.delenv(pictures.PICTURE_STORE, raising=False)
    monkeypatch.setattr(pictures, "draw", counted)
    return drawn


@pytest.fixture
def dated() -> Callable[[str, dt.date | None], str]:
    """A time-sensitive statement's text as shown: followed by the date it holds for."""

    def dated(text: str, checked: dt.date | None) -> str:
        return f"{text} (as of {checked.day} {checked:%B %Y})" if checked else \
            f"{text} (date not confirmed: never checked)"

    return dated
