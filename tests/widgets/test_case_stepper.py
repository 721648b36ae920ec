"""CaseStepper: moving through the case, branch points and the outcome that follows the choices."""

from __future__ import annotations

import pytest

from widgets import CaseStepper
from widgets.words import ACTIVITY


def choose_and_go_to_end(stepper: CaseStepper, therapy: str, mutation: str) -> None:
    stepper.therapy_choice.value = therapy
    stepper.mutation_choice.value = mutation
    stepper.go(len(stepper.steps) - 1)


def test_starts_at_the_first_step(guidance, shown):
    stepper = CaseStepper()
    first = guidance.steps[0]
    text = shown(stepper)
    assert f"Step 1 of {len(guidance.steps)}" in text
    assert first.title in text and first.text in text
    assert all(source_id in text for source_id in first.sources)
    assert stepper.back_button.disabled and not stepper.next_button.disabled
    assert (stepper.progress.value, stepper.progress.max) == (1, len(guidance.steps))


def test_next_moves_on_and_back_returns(guidance, shown):
    stepper = CaseStepper(guidance=guidance)
    stepper.next_button.click()
    second = guidance.steps[1]
    assert second.title in shown(stepper)
    assert f"Step 2 of {len(guidance.steps)}" in shown(stepper)
    assert stepper.progress.value == 2
    assert not stepper.back_button.disabled
    stepper.back_button.click()
    assert guidance.steps[0].title in shown(stepper)
    assert stepper.index == 0


def test_next_waits_for_the_choice_at_a_branch_point(guidance, shown):
    index = next(i for i, s in enumerate(guidance.steps) if s.choice)
    stepper = CaseStepper(guidance=guidance, step=index)
    control = stepper.choices[guidance.steps[index].id]
    assert control.value is None
    assert stepper.next_button.disabled
    assert "Choose an option to go on" in shown(stepper)
    assert guidance.steps[index].choice.prompt == control.description
    control.value = control.options[0]
    assert not stepper.next_button.disabled
    stepper.next_button.click()
    assert stepper.index == index + 1
    assert f"{guidance.steps[index].title}: {control.options[0]}" in shown(stepper)


def test_only_the_current_steps_choice_is_visible(guidance):
    stepper = CaseStepper(guidance=guidance)
    for index, step in enumerate(guidance.steps):
        stepper.go(index)
        for step_id, control in stepper.choices.items():
            assert (control.layout.display != "none") == (step_id == step.id)


def test_next_is_disabled_on_the_last_step(guidance):
    stepper = CaseStepper(guidance=guidance)
    choose_and_go_to_end(stepper, "crizotinib", "G2032R")
    assert stepper.next_button.disabled
    stepper.next_button.click()
    assert stepper.index == len(guidance.steps) - 1


def test_the_last_step_follows_the_first_line_choice(guidance, table_rows):
    stepper = CaseStepper(guidance=guidance)
    choose_and_go_to_end(stepper, "crizotinib", "G2032R")
    after_crizotinib = table_rows(stepper.outcome.value)
    assert "crizotinib" not in after_crizotinib
    assert after_crizotinib["repotrectinib"][:2] == ("✓ Active", "Clinical")
    stepper.therapy_choice.value = "entrectinib"
    after_entrectinib = table_rows(stepper.outcome.value)
    assert "entrectinib" not in after_entrectinib
    assert after_entrectinib["crizotinib"][0] == "✗ Resistant"
    assert list(after_entrectinib) == [r.therapy for r in guidance.next_steps("entrectinib", "G2032R").rows]


def test_the_last_step_follows_the_mutation_found(guidance, shown, table_rows):
    stepper = CaseStepper(guidance=guidance)
    choose_and_go_to_end(stepper, "crizotinib", "L2086F")
    rows = table_rows(stepper.outcome.value)
    rows_after = guidance.next_steps("crizotinib", "L2086F").rows
    expected = {r.therapy: " ".join(ACTIVITY[r.activity]) for r in rows_after}
    assert {therapy: cells[0] for therapy, cells in rows.items()} == expected
    assert "Therapy activity against L2086F, after crizotinib" in shown(stepper)
    assert guidance.fact("clinical-trials").text in shown(stepper)


def test_preset_choices_accept_any_spelling_and_show_the_erratum(guidance, shown):
    index = next(i for i, s in enumerate(guidance.steps) if s.choice and s.choice.kind == "mutation")
    stepper = CaseStepper(guidance=guidance, step=index,
                          choices={"therapy": "Crizotinib", "mutation": "G2023R"})
    assert stepper.mutation_choice.value == "G2032R"
    assert stepper.therapy_choice.value == "crizotinib"
    assert "G2023R is shown as G2032R" in shown(stepper)


def test_a_preset_that_is_not_an_option_is_refused(guidance):
    offered = next(s for s in guidance.steps if s.choice and s.choice.kind == "therapy").choice.options
    not_offered = next(t.name for t in guidance.therapies if t.name not in offered)
    with pytest.raises(ValueError, match=f"{not_offered} is not an option"):
        CaseStepper(guidance=guidance, choices={"therapy": not_offered})


def test_jumping_to_the_end_without_choices_asks_for_them(guidance, shown):
    stepper = CaseStepper(guidance=guidance, step=len(guidance.steps) - 1)
    text = shown(stepper)
    assert "not chosen yet" in text
    assert "make the choices at the earlier steps" in text
    assert "<table" not in stepper.outcome.value
