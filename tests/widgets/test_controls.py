"""CheckboxGroup: a multi-choice control whose value and boxes stay in step; text and boxes that share one
layout (fewer models for the browser), and `show` refusing to hide one of them alone."""

from __future__ import annotations

import ipywidgets as w
import pytest
import traitlets

from widgets import PresenterApp
from widgets.controls import CheckboxGroup
from widgets.style import shared_layout, show, text


def test_value_and_boxes_stay_in_step():
    group = CheckboxGroup(["a", "b", "c"], "Pick", value=["c", "a"])
    assert group.value == ("a", "c")  # option order
    assert [box.value for box in group.boxes] == [True, False, True]
    group.boxes[1].value = True
    assert group.value == ("a", "b", "c")
    group.value = ()
    assert not any(box.value for box in group.boxes)


def test_a_value_change_is_reported_once():
    group = CheckboxGroup(["a", "b", "c"], "Pick")
    seen = []
    group.observe(lambda change: seen.append(change["new"]), "value")
    group.value = ("a", "c")
    assert seen == [("a", "c")]


def test_unknown_options_are_refused():
    group = CheckboxGroup(["a", "b"], "Pick")
    with pytest.raises(traitlets.TraitError, match="z"):
        group.value = ("z",)


def test_every_box_is_named_by_its_option():
    group = CheckboxGroup(["first option", "second option"], "Pick")
    assert [box.description for box in group.boxes] == ["first option", "second option"]
    assert "Pick" in group.label.value


def descendants(widget: w.Widget) -> list[w.Widget]:
    """A widget and every widget inside it."""
    children = getattr(widget, "children", ())
    return [widget, *(found for child in children for found in descendants(child))]


def test_the_apps_static_text_and_boxes_share_one_layout_model(guidance) -> None:
    app = PresenterApp(guidance)
    app.section("The fusion")
    shown = [widget for widget in descendants(app) if isinstance(widget, (w.HTML, w.HBox, w.VBox))]
    sharing = [widget for widget in shown if widget.layout is shared_layout()]
    assert len(sharing) > len(shown) / 2, "most text and boxes share one layout instead of one each"


def test_a_widget_that_shares_its_layout_cannot_be_hidden_alone() -> None:
    shared, own = text("<p>shared</p>"), w.HTML("<p>own</p>")
    with pytest.raises(ValueError, match="shares its layout"):
        show(shared, False)
    show(own, False)
    assert own.layout.display == "none" and shared_layout().display is None
