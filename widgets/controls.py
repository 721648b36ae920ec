"""Small controls the widgets share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import ipywidgets as w
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from markupsafe import Markup

from content import UnknownEntryError

from .render import box
from .style import text

T = TypeVar("T")


class CheckboxGroup(w.VBox):
    """A labelled group of checkboxes with a `value` (tuple of the ticked options, in option order) that can
    be set and observed like any control's. Easier to discover and use from the keyboard than a
    multi-select list."""

    value = traitlets.Tuple()

    def __init__(self, options: Sequence[str], description: str, value: Sequence[str] = ()) -> None:
        self.options = tuple(options)
        self.description = description
        self.label = text(Markup('<div class="ros1-group-label">{}</div>').format(description))
        # One layout and style shared by the boxes: fewer widget models to create and send to the browser.
        layout, box_style = w.Layout(width="auto"), CheckboxStyle()
        self.boxes = [
            w.Checkbox(value=False, description=option, indent=False, layout=layout, style=box_style)
            for option in self.options
        ]
        self._syncing = False
        super().__init__([self.label, *self.boxes])
        self.add_class("ros1-checkbox-group")
        for checkbox in self.boxes:
            checkbox.observe(self._box_changed, "value")
        self.value = tuple(value)

    @traitlets.validate("value")
    def _known_options(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        unknown = [v for v in proposal["value"] if v not in self.options]
        if unknown:
            raise traitlets.TraitError(f"not among the options: {', '.join(unknown)}")
        return tuple(o for o in self.options if o in proposal["value"])

    @traitlets.observe("value")
    def _value_changed(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            for checkbox in self.boxes:
                checkbox.value = checkbox.description in change["new"]
        finally:
            self._syncing = False

    def _box_changed(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self.value = tuple(checkbox.description for checkbox in self.boxes if checkbox.value)


def labelled(control: w.DOMWidget) -> w.DOMWidget:
    """Let the control's description show in full and wrap (it is its visible label and accessible name)."""
    control.style.description_width = "initial"
    return control


def resolve_typed(typed: w.Text, message: w.HTML, resolve: Callable[[str], T]) -> T | None:
    """What the learner typed in `typed`, resolved; None (with the reason in `message`) when it is empty or
    names nothing the course knows."""
    query = typed.value.strip()
    if not query:
        message.value = ""
        return None
    try:
        return resolve(query)
    except UnknownEntryError as error:
        message.value = box(f"Not found: {error}", "message")
        return None
