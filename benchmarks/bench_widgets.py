"""Widget timings: how long each widget takes to build and to react to a change, in milliseconds.

Measured after a warm-up that loads the content and draws every picture once (as a lesson or the app does
on first use). Prints the medians beside the targets; asserts nothing.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import NamedTuple

import ipywidgets as w
from timing import median_ms, report

from content import Guidance, load_guidance
from widgets import CaseStepper, FusionPartnerExplorer, Quiz, ResistanceExplorer

BUILD_TARGET_MS = 100.0
UPDATE_TARGET_MS = 50.0
REPEATS = 9


class Case(NamedTuple):
    """A widget to time: how to build it and how to make its `i`-th change (each one a real change)."""

    name: str
    build: Callable[[], w.Widget]
    change: Callable[[w.Widget, int], None]


def cases(g: Guidance) -> list[Case]:
    """The four widgets, each with a typical change."""
    symbols = [p.symbol for p in g.partners]
    mutations = [m.name for m in g.mutations]

    def pick_partner(explorer: FusionPartnerExplorer, i: int) -> None:
        explorer.partner = symbols[(i + 1) % len(symbols)]

    def pick_mutations(explorer: ResistanceExplorer, i: int) -> None:
        explorer.mutations = tuple(mutations[: i % len(mutations) + 1])

    def move(stepper: CaseStepper, i: int) -> None:
        stepper.go(len(stepper.steps) - 1 if i % 2 == 0 else len(stepper.steps) - 2)

    def answer(quiz: Quiz, i: int) -> None:
        quiz.go(i % len(quiz.questions))
        card = quiz.current
        option = card.question.options[i % 2]
        card.answer.value = option if card.question.kind == "single" else (option,)
        card.check_button.click()

    def stepper() -> CaseStepper:
        return CaseStepper(guidance=g, choices={"therapy": "crizotinib", "mutation": mutations[0]})

    return [
        Case("FusionPartnerExplorer", lambda: FusionPartnerExplorer(guidance=g), pick_partner),
        Case("ResistanceExplorer", lambda: ResistanceExplorer(guidance=g), pick_mutations),
        Case("CaseStepper", stepper, move),
        Case("Quiz", lambda: Quiz(guidance=g), answer),
    ]


def warm_up(case: Case, g: Guidance) -> w.Widget:
    """Build once and make every change once, so each picture is drawn before timing."""
    widget = case.build()
    if isinstance(widget, FusionPartnerExplorer):
        widget.view.value = "Compare partners"
        widget.view.value = "This partner"
    for i in range(max(len(g.partners), len(g.mutations), REPEATS)):
        case.change(widget, i)
    return widget


def main() -> None:
    """Print build and update medians for each widget, with the targets."""
    start = time.perf_counter()
    g = load_guidance()
    print(f"content loaded in {(time.perf_counter() - start) * 1000:.0f} ms (then every picture drawn once)")
    for case in cases(g):
        widget = warm_up(case, g)
        report(f"{case.name}: build (median)", median_ms(case.build, REPEATS), BUILD_TARGET_MS)
        changes = itertools.count()
        update = median_ms(lambda c=case, w_=widget, n=changes: c.change(w_, next(n)), REPEATS)
        report(f"{case.name}: update (median)", update, UPDATE_TARGET_MS)


if __name__ == "__main__":
    main()
