"""The widgets' look: the course's CSS (`widgets/static/course.css`, loaded once per page) and small layout
helpers. Every widget carries the class `ros1`, so the page's CSS applies in JupyterLab and Voila alike."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import ipywidgets as w

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


def root(box: w.DOMWidget, *classes: str) -> None:
    """Mark a widget's outer box with the course's style classes."""
    for name in (ROOT_CLASS, *classes):
        box.add_class(name)


def row(*children: w.Widget) -> w.HBox:
    """Children side by side, wrapping onto the next line when the screen is narrow."""
    box = w.HBox(list(children))
    box.add_class("ros1-row")
    return box


def show(widget: w.DOMWidget, visible: bool) -> None:
    """Show or hide a widget (hidden widgets take no space and are skipped by screen readers)."""
    widget.layout.display = None if visible else "none"
