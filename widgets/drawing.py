"""Drawing the course's pictures with matplotlib: fusion schematic, partner frequency bars, the activity
heatmap and a fact's figures. Each takes plain values and returns PNG bytes and alt text. matplotlib is
imported only here, when a picture is drawn; `pictures` decides what is drawn and keeps what was. Drawing
uses matplotlib's object interface on the Agg canvas, so it never touches pyplot or the notebook's backend.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

from .words import ACTIVITY, EVIDENCE, percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DARK = "#1a1a1a"
PARTNER_FILL = "#c9dcf0"
ROS1_FILL = "#f3e3c3"
KINASE_FILL = "#d9a441"
CELL_FILL = {"active": "#cfe8d4", "reduced": "#fbe9b0", "resistant": "#f6c9c9", "unknown": "#ececec"}


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, facecolor="white")
    return buffer.getvalue()


def fusion_schematic(partner: str, partner_exon: int | None, ros1_breakpoint: str) -> tuple[bytes, str]:
    """The fusion protein, not to scale: the partner's 5' part joined to ROS1's 3' part with its kinase
    domain, where ROS1 breaks (`ros1_breakpoint`, the source's words), and the partner's breakpoint exon or
    'not confirmed'."""
    from matplotlib.patches import FancyBboxPatch

    partner_break = f"{partner} exon {partner_exon}" if partner_exon else "partner breakpoint exon not confirmed"
    ros1_break = f"ROS1 breaks {ros1_breakpoint}"
    figure = _new_figure(9, 2.6)
    axes = figure.add_axes((0.02, 0.02, 0.96, 0.96))
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 40)
    axes.axis("off")
    boxes = [(6, 40, PARTNER_FILL, f"{partner} (5' part)"), (46, 48, ROS1_FILL, "ROS1 (3' part)")]
    for x, width, fill, label in boxes:
        axes.add_patch(FancyBboxPatch((x, 16), width, 10, boxstyle="round,pad=0.4", facecolor=fill,
                                      edgecolor=DARK, linewidth=1.5))
        axes.text(x + 2, 21, label, va="center", ha="left", fontsize=12, color=DARK, weight="bold")
    axes.add_patch(FancyBboxPatch((72, 17.5), 20, 7, boxstyle="round,pad=0.2", facecolor=KINASE_FILL,
                                  edgecolor=DARK, linewidth=1.2, hatch="//"))
    axes.text(82, 12, "kinase domain", ha="center", va="top", fontsize=11, color=DARK)
    axes.text(2, 21, "5'", ha="center", va="center", fontsize=12, color=DARK)
    axes.text(98, 21, "3'", ha="center", va="center", fontsize=12, color=DARK)
    axes.plot([46, 46], [12, 30], color=DARK, linewidth=2, linestyle="--")
    axes.annotate(f"junction: {partner_break} | {ros1_break}", xy=(46, 30), xytext=(46, 36), ha="center",
                  fontsize=11, color=DARK, arrowprops={"arrowstyle": "->", "color": DARK})
    axes.text(50, 3, "Schematic, not to scale", ha="center", fontsize=10, color=DARK, style="italic")
    alt = (
        f"Schematic of the {partner}-ROS1 fusion protein, not to scale. From left (5') to right (3'): "
        f"the 5' part of {partner}, joined at the fusion junction to the 3' part of ROS1, which holds the "
        f"kinase domain. Junction: {partner_break}; {ros1_break}."
    )
    return _png(figure), alt


def frequency_chart(bars: tuple[tuple[str, float, str], ...], not_reported: tuple[str, ...]) -> tuple[bytes, str]:
    """Horizontal bars of partners' reported frequencies; `bars` holds (partner, percent, footnote mark).
    Partners without a figure are named under the chart, not drawn as zero."""
    figure = _new_figure(8, 0.55 * len(bars) + 1.6)
    axes = figure.add_axes((0.2, 0.3 if not_reported else 0.18, 0.72, 0.62 if not_reported else 0.74))
    names = [f"{name}{mark}" for name, _, mark in bars][::-1]
    values = [value for _, value, _ in bars][::-1]
    axes.barh(names, values, color=PARTNER_FILL, edgecolor=DARK, linewidth=1.2)
    for y, value in enumerate(values):
        axes.text(value, y, f" {percent(value)}", va="center", ha="left", fontsize=11, color=DARK)
    axes.set_xlim(0, max(values, default=1) * 1.2)
    axes.set_xlabel("Reported frequency (% of the cohort)", fontsize=11, color=DARK)
    axes.tick_params(labelsize=11, colors=DARK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not_reported:
        figure.text(0.02, 0.04, "Not reported in the course's sources: " + ", ".join(not_reported),
                    fontsize=10, color=DARK)
    alt = "Bar chart of reported frequencies of ROS1 fusion partners: " + "; ".join(
        f"{name}{mark} {percent(value)}" for name, value, mark in bars
    ) + "."
    if not_reported:
        alt += " Not reported (no bar drawn): " + ", ".join(not_reported) + "."
    return _png(figure), alt


def activity_heatmap(mutations: tuple[str, ...], therapies: tuple[str, ...],
                     cells: tuple[tuple[str, str], ...]) -> tuple[bytes, str]:
    """A mutation x therapy grid; `cells` holds (activity, evidence) row by row. Every cell carries a symbol
    and words as well as a fill."""
    from matplotlib.patches import Rectangle

    figure = _new_figure(1.45 * len(therapies) + 1.6, 0.8 * len(mutations) + 1.6)
    axes = figure.add_axes((0.12, 0.03, 0.86, 0.84))
    axes.set_xlim(0, len(therapies))
    axes.set_ylim(len(mutations), 0)
    grid = [cells[i * len(therapies):(i + 1) * len(therapies)] for i in range(len(mutations))]
    for row, line in enumerate(grid):
        for column, (activity, evidence) in enumerate(line):
            symbol, word = ACTIVITY[activity]
            axes.add_patch(Rectangle((column, row), 1, 1, facecolor=CELL_FILL[activity], edgecolor=DARK,
                                     linewidth=1))
            detail = "" if evidence == "none" else f"\n{EVIDENCE[evidence].lower()}"
            axes.text(column + 0.5, row + 0.5, f"{symbol} {word.lower()}{detail}", ha="center", va="center",
                      fontsize=9.5, color=DARK)
    axes.set_xticks([i + 0.5 for i in range(len(therapies))], therapies, fontsize=10, color=DARK)
    axes.set_yticks([i + 0.5 for i in range(len(mutations))], mutations, fontsize=11, color=DARK)
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    alt = "Grid of each therapy's activity (columns) against each resistance mutation (rows). " + " ".join(
        f"{mutation}: " + ", ".join(
            f"{therapy} {ACTIVITY[a][1].lower()}" + ("" if e == "none" else f" ({e})")
            for therapy, (a, e) in zip(therapies, line, strict=True)
        ) + "."
        for mutation, line in zip(mutations, grid, strict=True)
    )
    return _png(figure), alt


def figure_bars(title: str, bars: tuple[tuple[str, float, str], ...]) -> tuple[bytes, str]:
    """Horizontal bars for a fact's reported figures; `bars` holds (label, value, unit). Odds ratios get a
    reference line at 1 (no association); percentages run from 0 to 100."""
    figure = _new_figure(8, 0.75 * len(bars) + 1.5)
    axes = figure.add_axes((0.33, 0.25, 0.6, 0.62))
    labels = [textwrap.fill(label, 26) for label, _, _ in bars][::-1]
    values = [value for _, value, _ in bars][::-1]
    units = {unit for _, _, unit in bars}
    axes.barh(labels, values, color=PARTNER_FILL, edgecolor=DARK, linewidth=1.2)
    for y, (value, (_, _, unit)) in enumerate(zip(values, bars[::-1], strict=True)):
        shown = percent(value) if unit == "%" else f"{value:g}"
        axes.text(value, y, f" {shown}", va="center", ha="left", fontsize=11, color=DARK)
    if units == {"%"}:
        axes.set_xlim(0, 100)
        axes.set_xlabel("Per cent", fontsize=11, color=DARK)
    else:
        axes.set_xlim(0, max(values) * 1.25)
        axes.set_xlabel(" / ".join(sorted(units)).capitalize(), fontsize=11, color=DARK)
        if units == {"odds ratio"}:
            axes.axvline(1, color=DARK, linestyle="--", linewidth=1)
            axes.text(1, len(values) - 0.4, " 1 = no association", fontsize=9.5, color=DARK, va="bottom")
    axes.set_title(title, fontsize=12, color=DARK, loc="left")
    axes.tick_params(labelsize=11, colors=DARK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    alt = (f"Bar chart, {title}: " if title else "Bar chart: ") + "; ".join(
        f"{label}: {percent(value) if unit == '%' else f'{value:g} ({unit})'}" for label, value, unit in bars
    ) + "."
    return _png(figure), alt
