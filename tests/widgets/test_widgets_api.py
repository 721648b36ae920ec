"""What lessons and the app rely on: the imports, plain construction, labels and lazy plotting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ipywidgets as w
import pytest

import widgets
from widgets import CaseStepper, FusionPartnerExplorer, Quiz, ResistanceExplorer

ROOT = Path(__file__).resolve().parents[2]
WIDGETS = [FusionPartnerExplorer, ResistanceExplorer, CaseStepper, Quiz]
CONTROLS = (w.Dropdown, w.Text, w.ToggleButtons, w.RadioButtons, w.Checkbox, w.Button, w.IntProgress)


def all_parts(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from all_parts(child)


def test_the_public_names():
    assert {"FusionPartnerExplorer", "ResistanceExplorer", "CaseStepper", "Quiz", "disclaimer", "facts",
            "options", "references", "review_status", "style"} <= set(widgets.__all__)


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_builds_with_no_arguments_as_a_box_the_page_css_styles(widget_class):
    widget = widget_class()
    assert isinstance(widget, w.Box)
    assert "ros1" in widget._dom_classes
    assert not any(isinstance(p, w.HTML) and "<style>" in p.value for p in all_parts(widget)), (
        "CSS is loaded once per page (widgets.style()), never once per widget")


def test_the_page_css_is_the_packaged_style_sheet():
    sheet = (ROOT / "widgets" / "static" / "course.css").read_text(encoding="utf-8")
    assert widgets.style().value == f"<style>{sheet}</style>"
    assert ".ros1-badge" in sheet


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_every_control_has_a_visible_label(widget_class):
    controls = [p for p in all_parts(widget_class()) if isinstance(p, CONTROLS)]
    assert controls
    for control in controls:
        assert control.description.strip(), f"{type(control).__name__} without a label"


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_a_different_guidance_is_used(widget_class, content_copy):
    from content import load_guidance

    other = load_guidance(content_copy)
    assert widget_class(guidance=other).guidance is other


def test_building_the_quiz_and_stepper_does_not_import_matplotlib():
    code = ("import sys, widgets; widgets.Quiz(); widgets.CaseStepper(); "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
