"""The widgets' look: large readable text, dark on light (WCAG AA contrast), labels that wrap.

Every widget carries the class `ros1` and includes `style()`, so it reads the same in JupyterLab and Voila.
"""

from __future__ import annotations

import ipywidgets as w

ROOT_CLASS = "ros1"

CSS = """
.ros1 { color: #1a1a1a; background: #ffffff; font-size: 17px; line-height: 1.5; max-width: 1200px; }
.ros1 .widget-html-content, .ros1 .widget-label, .ros1 .widget-label-basic, .ros1 label,
.ros1 select, .ros1 input, .ros1 button { font-size: 17px; color: #1a1a1a; }
.ros1 .widget-html-content { line-height: 1.5; }
.ros1 .widget-label { white-space: normal; height: auto; }
.ros1 .ros1-stack { flex-direction: column; align-items: flex-start; height: auto; }
.ros1 .ros1-stack > .widget-label { width: auto; max-width: 100%; font-weight: 600; margin-bottom: 4px; }
.ros1 .widget-radio-box label, .ros1 .widget-checkbox label { white-space: normal; height: auto; }
.ros1 .widget-radio-box { width: auto; max-width: 100%; flex: 1 1 auto; }
.ros1 .ros1-stack .widget-radio-box { min-width: min(40em, 100%); }
.ros1 .widget-text { width: auto; }
.ros1 .widget-text input[type="text"] { min-width: 16em; }
.ros1 .widget-checkbox { height: auto; width: auto; }
.ros1 .widget-button, .ros1 .widget-toggle-button { min-height: 40px; height: auto; }
.ros1 button:focus-visible, .ros1 select:focus-visible, .ros1 input:focus-visible {
  outline: 3px solid #1a4f8b; outline-offset: 2px; }
.ros1 a { color: #0b4f9c; text-decoration: underline; }
.ros1 h3 { font-size: 1.3em; margin: 0.4em 0; }
.ros1 h4 { font-size: 1.1em; margin: 0.6em 0 0.3em; }
.ros1-cite { font-size: 0.9em; white-space: normal; }
.ros1-box { border: 2px solid #1a4f8b; background: #eef4fb; padding: 8px 12px; margin: 6px 0;
  border-radius: 4px; }
.ros1-warning { border-color: #8a4b00; background: #fff4e0; }
.ros1-message { border-style: dashed; }
.ros1-flag { background: #fff4e0; color: #5c3200; border: 1px solid #8a4b00; padding: 0 4px;
  font-size: 0.9em; }
.ros1-badge { display: inline-block; padding: 1px 6px; border-radius: 4px; font-weight: 600;
  white-space: nowrap; }
.ros1-active { background: #e3f2e6; color: #0b4a1b; border: 1px solid #0b4a1b; }
.ros1-reduced { background: #fff5d6; color: #5a4100; border: 1px solid #5a4100; }
.ros1-resistant { background: #fde6e6; color: #7a1212; border: 1px solid #7a1212; }
.ros1-unknown { background: #eeeeee; color: #1a1a1a; border: 1px dashed #1a1a1a; }
.ros1-correct { border-color: #0b4a1b; background: #e3f2e6; }
.ros1-wrong { border-color: #7a1212; background: #fde6e6; }
.ros1-table { border-collapse: collapse; margin: 6px 0 12px; }
.ros1-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.ros1-table th, .ros1-table td { border: 1px solid #6b6b6b; padding: 4px 8px; vertical-align: top; }
.ros1 .ros1-table th, .ros1 .ros1-table td, .ros1 .ros1-table caption { text-align: left !important; }
.ros1-table thead th { background: #e8e8e8; }
.ros1-figure { margin: 6px 0; }
.ros1-figure img { max-width: 100%; height: auto; background: #ffffff; }
.ros1-figure figcaption { font-size: 0.95em; }
.ros1-references { font-size: 0.95em; }
.ros1-ref-id { font-weight: 600; }
.ros1 .ros1-row { flex-flow: row wrap; gap: 12px 24px; align-items: flex-start; }
.ros1 .ros1-term { border-bottom: 2px dotted #1a4f8b; cursor: help; }
.ros1 .ros1-term:focus-visible { outline: 3px solid #1a4f8b; outline-offset: 2px; }
.ros1 .ros1-term-tip { display: none; position: absolute; z-index: 10; max-width: 28em; margin-top: 1.6em;
  padding: 6px 10px; background: #ffffff; color: #1a1a1a; border: 2px solid #1a4f8b; border-radius: 4px;
  font-size: 0.9em; font-weight: normal; white-space: normal; }
.ros1 .ros1-term:hover + .ros1-term-tip, .ros1 .ros1-term:focus + .ros1-term-tip { display: inline-block; }
"""


def style() -> w.HTML:
    """The widgets' CSS as an (invisible) HTML widget; every widget already includes it."""
    return w.HTML(f"<style>{CSS}</style>", layout=w.Layout(display="none"))


def root(box: w.Box, *classes: str) -> None:
    """Mark a widget's outer box with the course's style classes."""
    for name in (ROOT_CLASS, *classes):
        box.add_class(name)


def row(*children: w.Widget) -> w.HBox:
    """Children side by side, wrapping onto the next line when the screen is narrow."""
    box = w.HBox(list(children))
    box.add_class("ros1-row")
    return box


def show(widget: w.Widget, visible: bool) -> None:
    """Show or hide a widget (hidden widgets take no space and are skipped by screen readers)."""
    widget.layout.display = None if visible else "none"
