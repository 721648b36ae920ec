"""Activity, options, next steps and self-check answers, derived from the content."""

from __future__ import annotations

import pytest

from content import Guidance, UnknownEntryError, load_guidance
from content.guidance import NONE_OF_THESE, best_evidence_first


def test_activity_frame_has_one_row_per_therapy_and_the_documented_columns(guidance: Guidance) -> None:
    frame = guidance.activity("G2032R")
    assert list(frame.columns) == [
        "mutation", "therapy", "activity", "evidence", "reason", "sources", "checked", "recorded",
        "uk_setting", "uk_status", "uk_funded",
    ]
    assert sorted(frame["therapy"]) == sorted(t.name for t in guidance.therapies)
    assert set(frame["mutation"]) == {"G2032R"}
    assert frame["uk_status"].isna().all(), "without a line of treatment, no UK status is given"


def test_activity_frame_in_a_line_carries_that_lines_status(guidance: Guidance) -> None:
    frame = guidance.activity("G2032R", line="after-ros1-inhibitor").set_index("therapy")
    assert set(frame["uk_setting"]) == {"after-ros1-inhibitor"}
    assert not frame.loc["entrectinib", "uk_funded"]


def test_g2032r_activity_matches_the_clinical_facts(guidance: Guidance) -> None:
    rows = {row.therapy: row for row in guidance.activity_rows("G2032R")}
    assert (rows["crizotinib"].activity, rows["crizotinib"].evidence) == ("resistant", "clinical")
    assert (rows["repotrectinib"].activity, rows["repotrectinib"].evidence) == ("active", "clinical")
    # Taletrectinib: responses in 8 of 13 with G2032R (pooled TRUST), known through a report of the paper, which the
    # row says and its source's kind (trial-report) marks wherever it is cited.
    assert (rows["taletrectinib"].activity, rows["taletrectinib"].evidence) == ("active", "clinical")
    assert "8 of 13" in rows["taletrectinib"].reason and "news report" in rows["taletrectinib"].reason
    assert guidance.source("trust-taletrectinib").kind == "trial-report"
    assert (rows["entrectinib"].activity, rows["entrectinib"].evidence) == ("resistant", "preclinical")
    assert (rows["cabozantinib"].activity, rows["cabozantinib"].evidence) == ("active", "preclinical")
    assert all(row.sources for row in rows.values() if row.activity != "unknown")


def test_activity_by_misspelling_and_several_mutations(guidance: Guidance) -> None:
    frame = guidance.activity("G2023R", "l2086f", "G2032R")
    assert list(dict.fromkeys(frame["mutation"])) == ["G2032R", "L2086F"]
    assert len(frame) == 2 * len(guidance.therapies)


def test_missing_pairs_are_unknown_never_guessed(guidance: Guidance) -> None:
    recorded = {(row.mutation, row.therapy) for row in guidance.knowledge.activity}
    missing = [(m.name, t.name) for m in guidance.mutations for t in guidance.therapies
               if (m.name, t.name) not in recorded]
    assert missing, "the course has pairs it holds no row for"
    for mutation, therapy in missing:
        row = guidance.activity_of(mutation, therapy)
        assert (row.activity, row.evidence, row.recorded, row.sources) == ("unknown", "none", False, ())
        assert "No data" in row.reason


def test_unknown_mutation_in_activity_raises(guidance: Guidance) -> None:
    with pytest.raises(UnknownEntryError):
        guidance.activity("G2032R", "X9999Z")


def test_first_line_options_in_the_uk_fund_crizotinib_and_entrectinib(guidance: Guidance) -> None:
    frame = guidance.options(line="first", setting="UK")
    funded = set(frame.loc[frame["funded"], "therapy"])
    assert funded == {"crizotinib", "entrectinib"}
    assert list(frame["funded"]) == sorted(frame["funded"], reverse=True), "funded options come first"
    assert "cabozantinib" not in set(frame["therapy"]), "investigational drugs are not options"
    assert all(frame["reason"].str.len() > 0) and all(len(s) > 0 for s in frame["sources"])


def test_entrectinib_is_not_funded_after_a_ros1_inhibitor(guidance: Guidance) -> None:
    after = {row.therapy: row for row in guidance.option_rows(line="after-ros1-inhibitor")}
    assert not after["entrectinib"].funded and after["entrectinib"].status == "not covered"
    assert after["entrectinib"].nice == "TA643"
    assert {row.setting for row in after.values()} == {"after-ros1-inhibitor"}
    assert guidance.option_rows(line="later") == list(after.values()), "'later' names the same setting"


@pytest.mark.parametrize("line", ["first", "first-line", "later", "after", "after-ros1-inhibitor"])
def test_every_therapy_has_its_own_status_in_each_setting(guidance: Guidance, line: str) -> None:
    for row in guidance.option_rows(line=line):
        record = guidance.uk_status(row.therapy, line)
        assert (row.setting, row.status, row.funded, row.reason) == (
            record.setting, record.status, record.funded, record.text)


@pytest.mark.parametrize(("line", "setting"), [("first", "US"), ("third", "UK")])
def test_options_refuse_unknown_line_or_setting(guidance: Guidance, line: str, setting: str) -> None:
    with pytest.raises(UnknownEntryError):
        guidance.options(line=line, setting=setting)


def test_next_steps_after_crizotinib_with_g2032r(guidance: Guidance) -> None:
    steps = guidance.next_steps(after="Crizotinib", mutation="G2023R")
    assert steps.after == "crizotinib" and steps.mutations == ("G2032R",)
    therapies = [row.therapy for row in steps.rows]
    assert "crizotinib" not in therapies
    assert therapies[0] == "repotrectinib", "clinical activity is listed first"
    ranks = [best_evidence_first(row) for row in steps.rows]
    assert ranks == sorted(ranks), "best evidence first"
    assert steps.rows[-1].activity == "resistant"
    assert steps.trials is not None and "clinical trials" in steps.trials.text
    assert len(steps.table()) == len(steps.rows)
    assert steps.setting == "after-ros1-inhibitor"
    assert all(row.uk == guidance.uk_status(row.therapy, steps.setting) for row in steps.rows)
    assert not next(row for row in steps.rows if row.therapy == "entrectinib").uk.funded


def test_next_steps_without_a_mutation_lists_no_activity(guidance: Guidance) -> None:
    steps = guidance.next_steps(after="entrectinib")
    assert steps.rows == () and steps.trials is not None


def test_questions_per_lesson_and_all(guidance: Guidance) -> None:
    all_questions = guidance.questions()
    assert {q.lesson for q in all_questions} >= {0, 1, 2, 3, 4, 5, 6, 7}
    assert all(q.lesson == 5 for q in guidance.questions(lesson=5))
    assert guidance.questions(lesson=99) == []
    for question in all_questions:
        assert question.answer <= set(question.options), question.id


def test_computed_question_answers_come_from_activity(guidance: Guidance) -> None:
    question = next(q for q in guidance.questions() if q.id == "g2032r-clinical")
    expected = {
        row.therapy for row in guidance.activity_rows("G2032R")
        if row.activity == "active" and row.evidence == "clinical"
    }
    assert question.computed and question.answer == expected and expected


def test_computed_question_follows_a_content_change(edit_content) -> None:
    changed = edit_content(
        "activity.yaml",
        "  therapy: repotrectinib\n  activity: active\n  evidence: clinical",
        "  therapy: repotrectinib\n  activity: reduced\n  evidence: clinical",
    )
    guidance = load_guidance(changed)
    question = next(q for q in guidance.questions() if q.id == "g2032r-clinical")
    assert "repotrectinib" not in question.answer


def test_computed_question_with_no_qualifying_therapy_answers_none_of_these(edit_content) -> None:
    changed = edit_content(
        "activity.yaml",
        "  therapy: cabozantinib\n  activity: active\n  evidence: preclinical\n  reason: >-\n    The type II",
        "  therapy: cabozantinib\n  activity: reduced\n  evidence: preclinical\n  reason: >-\n    The type II",
    )
    question = next(q for q in load_guidance(changed).questions() if q.id == "l2086f-active")
    assert question.answer == {NONE_OF_THESE}
