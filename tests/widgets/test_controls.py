"""CheckboxGroup: a multi-choice control whose value and boxes stay in step."""

from __future__ import annotations

import pytest
import traitlets

from widgets.controls import CheckboxGroup


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
