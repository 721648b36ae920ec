"""CaseStepper: the scenario step by step, with branch points where the learner decides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import ipywidgets as w
from markupsafe import Markup

from content import Guidance, load_guidance

from . import sections
from .citations import Citations
from .controls import labelled
from .render import box
from .style import root, row, show, text
from .terms import with_terms

if TYPE_CHECKING:
    from content.schema import Step


class CaseStepper(w.VBox):
    """The case from the result to the next options. At a step with a choice the learner picks (Next waits
    for the choice) and later steps follow it; the last step shows what the content says comes next.

    Controls: `back_button`, `next_button` (Buttons), `choices` (dict of step id -> RadioButtons), with
    `therapy_choice` and `mutation_choice` for the branch points of those kinds. Shown: `position`,
    `progress` (IntProgress), `step_view`, `choice_detail`, `outcome` (HTML widgets). `index` is the step
    shown (0-based).
    """

    def __repr__(self) -> str:
        return f"CaseStepper(step {self.index + 1} of {len(self.steps)})"

    def __init__(self, guidance: Guidance | None = None, step: int = 0,
                 choices: Mapping[str, str] | None = None) -> None:
        """`choices` may preset branch points by kind, in any accepted spelling:
        {"therapy": "crizotinib", "mutation": "G2023R"}. Raises UnknownEntryError for an unknown name and
        ValueError for a name the branch point does not offer."""
        self.guidance = g = guidance or load_guidance()
        self.steps: list[Step] = g.steps
        self._notes: dict[str, Markup] = {}
        self.choices = {
            s.id: labelled(w.RadioButtons(options=s.choice.options, value=None, description=s.choice.prompt))
            for s in self.steps if s.choice
        }
        for control in self.choices.values():
            control.add_class("ros1-stack")
        for kind, name in (choices or {}).items():
            self._preset(kind, name)
        self.back_button = w.Button(description="Back", icon="arrow-left", tooltip="Previous step")
        self.next_button = w.Button(description="Next", icon="arrow-right", tooltip="Next step")
        self.position = text()
        self.progress = w.IntProgress(min=0, max=len(self.steps), value=1, description="Progress")
        self.step_view = text()
        self.choice_detail = text()
        self.hint = text()
        self.outcome = text()
        self.index = min(max(step, 0), len(self.steps) - 1)
        super().__init__([
            text(Markup("<h3>The case: {}</h3>").format(g.page.title)),
            row(self.position, self.progress),
            self.step_view, *self.choices.values(), self.choice_detail, self.hint, self.outcome,
            row(self.back_button, self.next_button),
        ])
        root(self, "ros1-case-stepper")
        self.back_button.on_click(lambda _button: self.go(self.index - 1))
        self.next_button.on_click(lambda _button: self.go(self.index + 1))
        for control in self.choices.values():
            control.observe(self._render, "value")
        self._render()

    @property
    def step(self) -> Step:
        """The step shown."""
        return self.steps[self.index]

    @property
    def therapy_choice(self) -> w.RadioButtons:
        """The branch point where the learner chooses a therapy."""
        return self._choice_of("therapy")

    @property
    def mutation_choice(self) -> w.RadioButtons:
        """The branch point where the learner chooses the mutation found."""
        return self._choice_of("mutation")

    def go(self, index: int) -> None:
        """Show step `index` (0-based), within the case's bounds."""
        self.index = min(max(index, 0), len(self.steps) - 1)
        self._render()

    def _choice_of(self, kind: str) -> w.RadioButtons:
        step = next((s for s in self.steps if s.choice and s.choice.kind == kind), None)
        if step is None:
            raise LookupError(f"the case has no branch point where a {kind} is chosen")
        return self.choices[step.id]

    def _preset(self, kind: str, name: str) -> None:
        found = self.guidance.find(kind, name)
        control = self._choice_of(kind)
        if found.entry.name not in control.options:
            raise ValueError(f"{found.entry.name} is not an option at {control.description!r}; "
                             f"choose one of {', '.join(control.options)}")
        control.value = found.entry.name
        if found.note:
            cite = Citations(self.guidance)
            self._notes[found.entry.name] = Markup("{} is shown as {}. {} {}").format(
                found.query, found.entry.name, found.note, cite.cite(found.note_sources))

    def _chosen(self, kind: str) -> str | None:
        """The learner's choice of this kind, if the case has such a branch point and it has been made."""
        values = (self.choices[s.id].value for s in self.steps if s.choice and s.choice.kind == kind)
        return next(values, None)

    def _render(self, _change: object = None) -> None:
        step, count = self.step, len(self.steps)
        self.position.value = f'<p aria-live="polite"><strong>Step {self.index + 1} of {count}</strong></p>'
        self.progress.value = self.index + 1
        self.progress.tooltip = f"Step {self.index + 1} of {count}"
        made = [(s.title, self.choices[s.id].value) for s in self.steps[:self.index] if s.choice]
        self.step_view.value = with_terms(self.guidance, sections.step(Citations(self.guidance), step, made))
        for step_id, control in self.choices.items():
            show(control, step_id == step.id)
        waiting = step.choice is not None and self.choices[step.id].value is None
        self.hint.value = box("Choose an option to go on.", "message") if waiting else ""
        self.choice_detail.value = self._choice_detail(step)
        self.outcome.value = self._outcome() if self.index == count - 1 else ""
        self.back_button.disabled = self.index == 0
        self.next_button.disabled = self.index == count - 1 or waiting

    def _choice_detail(self, step: Step) -> str:
        """What the content says about the option just chosen at this step (for a therapy: its UK status in
        the step's own setting)."""
        if step.choice is None or self.choices[step.id].value is None:
            return ""
        cite, name = Citations(self.guidance), self.choices[step.id].value
        note = box(self._notes[name], "warning") if name in self._notes else Markup("")
        if step.choice.kind == "mutation":
            region = self.guidance.mutation(name).region
            return note + Markup("<p>{}: {}</p>").format(name, cite.sourced(region))
        return note + sections.uk_status(cite, name, step.choice.setting or "")

    def _outcome(self) -> str:
        """The content's next steps after the chosen therapy with the chosen mutation."""
        after, mutation = self._chosen("therapy"), self._chosen("mutation")
        if not (after and mutation):
            return box("Go back and make the choices at the earlier steps to see the options that follow "
                       "them.", "message")
        found = [self.guidance.find("mutation", mutation)]
        return (Markup("<h4>Options for this patient in the course's content</h4>")
                + sections.resistance(Citations(self.guidance), found, after, level=5))
