"""CaseStepper: the scenario step by step, with branch points where the learner decides."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from content import Guidance, load_guidance
from content.guidance import SETTING_NAMES
from content.schema import Step

from .controls import labelled
from .markup import (
    EVIDENCE,
    activity_badge,
    activity_table,
    bullet_list,
    cite,
    esc,
    note_box,
    statement,
    uk_status_html,
)
from .style import root, row, show, style
from .terms import with_terms


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
        self._facts = {fact.id: fact for fact in g.facts()}
        self._notes: dict[str, str] = {}
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
        self.position = w.HTML()
        self.progress = w.IntProgress(min=0, max=len(self.steps), value=1, description="Progress")
        self.step_view = w.HTML()
        self.choice_detail = w.HTML()
        self.hint = w.HTML()
        self.outcome = w.HTML()
        self.index = min(max(step, 0), len(self.steps) - 1)
        super().__init__([
            style(), w.HTML(f"<h3>The case: {esc(g.page.title)}</h3>"),
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
            self._notes[found.entry.name] = f"{esc(found.query)} is shown as {esc(found.entry.name)}. " + (
                f"{esc(found.note)} {cite(self.guidance, found.note_sources)}")

    def _chosen(self, kind: str) -> str | None:
        """The learner's choice of this kind, if the case has such a branch point and it has been made."""
        values = (self.choices[s.id].value for s in self.steps if s.choice and s.choice.kind == kind)
        return next(values, None)

    def _render(self, _change: object = None) -> None:
        g, step, count = self.guidance, self.step, len(self.steps)
        self.position.value = f'<p aria-live="polite"><strong>Step {self.index + 1} of {count}</strong></p>'
        self.progress.value = self.index + 1
        self.progress.tooltip = f"Step {self.index + 1} of {count}"
        made = [(s.title, self.choices[s.id].value) for s in self.steps[:self.index] if s.choice]
        path = ("<p><strong>So far:</strong> " + "; ".join(f"{esc(t)}: {esc(v or 'not chosen yet')}"
                                                            for t, v in made) + "</p>" if made else "")
        facts = [self._facts[i] for i in step.teaches if i in self._facts]
        items = [statement(g, f.text, f.sources, f.checked) for f in facts]
        key_facts = "<h4>Key facts</h4>" + bullet_list(items) if items else ""
        self.step_view.value = with_terms(g, (
            f"<h3>{esc(step.title)}</h3>{path}<p>{esc(step.text)} {cite(g, step.sources)}</p>{key_facts}"
        ))
        for step_id, control in self.choices.items():
            show(control, step_id == step.id)
        waiting = step.choice is not None and self.choices[step.id].value is None
        self.hint.value = note_box("Choose an option to go on.", "message") if waiting else ""
        self.choice_detail.value = self._choice_detail(step)
        self.outcome.value = self._outcome() if self.index == count - 1 else ""
        self.back_button.disabled = self.index == 0
        self.next_button.disabled = self.index == count - 1 or waiting

    def _choice_detail(self, step: Step) -> str:
        """What the content says about the option just chosen at this step."""
        if step.choice is None or self.choices[step.id].value is None:
            return ""
        g, name = self.guidance, self.choices[step.id].value
        note = note_box(self._notes[name], "warning") if name in self._notes else ""
        if step.choice.kind == "mutation":
            region = g.mutation(name).region
            return note + f"<p>{esc(name)}: {statement(g, region.text, region.sources, region.checked)}</p>"
        setting = step.choice.setting or ""
        uk = g.uk_status(name, setting)
        return note + f"<p>{esc(name)} in the UK, {SETTING_NAMES[uk.setting]}: {uk_status_html(g, uk)}</p>"

    def _outcome(self) -> str:
        """The content's next steps after the chosen therapy with the chosen mutation."""
        after, mutation = self._chosen("therapy"), self._chosen("mutation")
        if not (after and mutation):
            return note_box("Go back and make the choices at the earlier steps to see the options that "
                            "follow them.", "message")
        g = self.guidance
        steps = g.next_steps(after=after, mutation=mutation)
        own = g.activity_of(mutation, after)
        caption = f"After progression on {after} with {mutation}: other therapies, best evidence first"
        table = activity_table(g, list(steps.rows), caption)
        fact = steps.trials
        trials = f"<p>{statement(g, fact.text, fact.sources, fact.checked)}</p>" if fact else ""
        badge, evidence = activity_badge(own.activity), EVIDENCE[own.evidence].lower()
        return (
            "<h4>Options for this patient in the course's content</h4>"
            f"<p>{esc(after)} against {esc(mutation)}: {badge} ({evidence} evidence)</p>"
            f"{table}{trials}"
        )
