"""What lessons and the app rely on: the imports, plain construction, labels and lazy plotting."""

from __future__ import annotations

import re
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


def test_no_markup_is_shown_as_text_in_any_state(guidance):
    """HTML built from pieces is never escaped twice: no widget shows a tag as text (e.g. '&lt;h4&gt;')."""
    from widgets import PresenterApp
    from widgets.partners import COMPARE

    app = PresenterApp(guidance)
    for title in ("The fusion", "Who gets it", "First-line treatment", "Progression and resistance", "Self-check"):
        app.section(title)
    stepper, partners = CaseStepper(guidance, choices={"therapy": "crizotinib", "mutation": "G2023R"}), None
    stepper.go(len(stepper.steps) - 1)
    partners = FusionPartnerExplorer(guidance, partner="EZR")
    partners.view.value = COMPARE
    resistance = ResistanceExplorer(guidance, mutations=["G2023R", "L2086F"], progressed_on="crizotinib")
    for widget in (app, stepper, partners, resistance):
        for part in all_parts(widget):
            if isinstance(part, w.HTML):
                escaped_tag = re.search(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*(\s|&gt;|/)", part.value)
                assert escaped_tag is None, part.value[max(escaped_tag.start() - 80, 0):escaped_tag.end() + 40]
