"""The widgets' look: the course's CSS (`widgets/static/course.css`, loaded once per page) and small layout
helpers. Every widget carries the class `ros1`, so the page's CSS applies in JupyterLab and Voila alike."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

ROOT_CLASS = "ros1"


@cache
def css(*names: str) -> str:
    """The named style sheets of `widgets/static` (default: the course's own), read once per process."""
    return "".join(files("widgets").joinpath("static", name).read_text(encoding="utf-8")
                   for name in names or ("course.css",))


def style(*names: str) -> w.HTML:
    """Style sheets (default: the course's) as an invisible HTML widget: put it once on a page (a lesson's
    header and the presenter app do), before the widgets it styles."""
    return w.HTML(f"<style>{css(*names)}</style>", layout=w.Layout(display="none"))


@cache
def shared_layout() -> w.Layout:
    """One default layout for every widget that is never hidden (static text, rows and columns): the browser
    then creates one layout model for them all instead of one each. Cached per process (a kernel's page)."""
    return w.Layout()


@cache
def shared_text_style() -> HTMLStyle:
    """One default style for every text widget made by `text`."""
    return HTMLStyle()


def text(value: str = "") -> w.HTML:
    """An HTML widget sharing its layout and style with every other one made here (never hidden: `show`
    refuses it, since hiding it would hide them all)."""
    return w.HTML(value, layout=shared_layout(), style=shared_text_style())


def column(children: Sequence[w.Widget] = ()) -> w.VBox:
    """Children one under the other, in a box that shares its layout (never hidden)."""
    return w.VBox(list(children), layout=shared_layout())


def root(box: w.DOMWidget, *classes: str) -> None:
    """Mark a widget's outer box with the course's style classes."""
    for name in (ROOT_CLASS, *classes):
        box.add_class(name)


def row(*children: w.Widget) -> w.HBox:
    """Children side by side, wrapping onto the next line when the screen is narrow."""
    box = w.HBox(list(children), layout=shared_layout())
    box.add_class("ros1-row")
    return box


def show(widget: w.DOMWidget, visible: bool) -> None:
    """Show or hide a widget (hidden widgets take no space and are skipped by screen readers). Raises
    ValueError for a widget that shares its layout (hiding it would hide every widget that shares it)."""
    if widget.layout is shared_layout():
        raise ValueError(f"{type(widget).__name__} shares its layout: give it its own to show or hide it")
    widget.layout.display = None if visible else "none"
