"""Quiz: no answer before an attempt, feedback after one, the score, computed answers and lessons."""

from __future__ import annotations

import ipywidgets as w

from content import load_guidance
from widgets import Quiz
from widgets.controls import CheckboxGroup
from widgets.quiz import QuestionCard


def index_of(quiz: Quiz, question_id: str) -> int:
    return next(i for i, q in enumerate(quiz.questions) if q.id == question_id)


def index_of_kind(quiz: Quiz, kind: str) -> int:
    return next(i for i, q in enumerate(quiz.questions) if q.kind == kind)


def wrong_answer(card: QuestionCard) -> tuple[str, ...] | str:
    wrong = next(o for o in card.question.options if o not in card.question.answer)
    return wrong if card.question.kind == "single" else (wrong,)


def right_answer(card: QuestionCard) -> tuple[str, ...] | str:
    answer = [o for o in card.question.options if o in card.question.answer]
    return answer[0] if card.question.kind == "single" else tuple(answer)


def test_all_questions_with_nothing_answered_or_revealed(guidance, shown):
    quiz = Quiz()
    assert [q.id for q in quiz.questions] == [q.id for q in guidance.questions()]
    text = shown(quiz)
    assert f"Question 1 of {len(quiz.questions)}" in text
    assert f"Score: 0 of {len(quiz.questions)} correct" in text
    for index in range(len(quiz.questions)):
        quiz.go(index)
        card = quiz.current
        if card.question.kind == "single":
            assert isinstance(card.answer, w.RadioButtons) and card.answer.value is None
        else:
            assert isinstance(card.answer, CheckboxGroup) and card.answer.value == ()
        text = shown(quiz)
        assert card.feedback.value == ""
        assert "Correct" not in text and "Not quite" not in text
        assert card.question.explanation not in text


def test_next_and_previous_move_between_questions(guidance, shown):
    quiz = Quiz(guidance=guidance)
    assert quiz.previous_button.disabled and not quiz.next_button.disabled
    quiz.next_button.click()
    assert quiz.index == 1
    assert f"Question 2 of {len(quiz.questions)}" in shown(quiz)
    assert quiz.current.question == quiz.questions[1]
    assert quiz.current.answer.description == quiz.questions[1].prompt
    assert quiz.stage.children == (quiz.current,)  # only the current question is on screen
    quiz.go(len(quiz.questions) - 1)
    assert quiz.next_button.disabled
    quiz.previous_button.click()
    assert quiz.index == len(quiz.questions) - 2


def test_questions_are_built_when_first_shown(guidance):
    quiz = Quiz(guidance=guidance)
    assert quiz.current is quiz.card(0)
    quiz.next_button.click()
    quiz.previous_button.click()
    assert quiz.current is quiz.card(0)  # the same card: answers are kept while moving about


def test_a_right_answer_gets_correct_the_reason_and_sources(guidance, shown):
    quiz = Quiz(guidance=guidance)
    quiz.go(index_of_kind(quiz, "single"))
    card = quiz.current
    card.answer.value = right_answer(card)
    card.check_button.click()
    text = shown(card)
    assert "✓ Correct." in text
    assert card.question.explanation in text
    assert all(source_id in text for source_id in card.question.sources)
    assert f"Score: 1 of {len(quiz.questions)} correct" in shown(quiz)


def test_a_wrong_answer_gets_not_quite_and_the_right_answer(guidance, shown):
    quiz = Quiz(guidance=guidance)
    quiz.go(index_of_kind(quiz, "multiple"))
    card = quiz.current
    card.answer.value = wrong_answer(card)
    card.check_button.click()
    text = shown(card)
    assert "✗ Not quite." in text
    answer = "; ".join(o for o in card.question.options if o in card.question.answer)
    assert f"The answer: {answer}." in text
    assert f"Score: 0 of {len(quiz.questions)} correct" in shown(quiz)


def test_checking_without_an_answer_asks_for_one(guidance, shown):
    card = Quiz(guidance=guidance).current
    card.check_button.click()
    text = shown(card)
    assert "Choose an answer first" in text
    assert "Correct" not in text and card.question.explanation not in text


def test_changing_the_answer_clears_the_feedback_and_the_score(guidance, shown):
    quiz = Quiz(guidance=guidance)
    card = quiz.current
    card.answer.value = right_answer(card)
    card.check_button.click()
    assert card.result is True
    card.answer.value = wrong_answer(card)
    assert card.feedback.value == "" and card.result is None
    assert f"Score: 0 of {len(quiz.questions)} correct" in shown(quiz)


def test_the_score_counts_answers_across_questions(guidance, shown):
    quiz = Quiz(guidance=guidance)
    for index in (0, 1):
        card = quiz.card(index)
        card.answer.value = right_answer(card)
        card.check_button.click()
    assert f"Score: 2 of {len(quiz.questions)} correct" in shown(quiz)


def test_one_lessons_questions(guidance):
    quiz = Quiz(guidance=guidance, lesson=5)
    assert quiz.questions
    assert [q.id for q in quiz.questions] == [q.id for q in guidance.questions(5)]


def test_a_lesson_without_questions_says_so(guidance, shown):
    lesson = max(q.lesson for q in guidance.questions()) + 1
    quiz = Quiz(guidance=guidance, lesson=lesson)
    assert quiz.questions == []
    assert f"no self-check questions for lesson {lesson}" in shown(quiz)
    assert "Score" not in shown(quiz)


def test_a_computed_answer_comes_from_the_activity_table(guidance, shown):
    quiz = Quiz(guidance=guidance, lesson=5)
    card = quiz.card(index_of(quiz, "g2032r-clinical"))
    expected = {r.therapy for r in guidance.activity_rows("G2032R")
                if r.activity == "active" and r.evidence == "clinical"}
    # Repotrectinib's G2032R responses come from TRIDENT-1, taletrectinib's from the pooled TRUST analysis.
    assert expected == {"repotrectinib", "taletrectinib"}
    card.answer.value = tuple(expected)
    card.check_button.click()
    assert "✓ Correct." in shown(card)


def test_a_computed_answer_follows_a_changed_activity_row(edit_content, shown):
    old = "  therapy: taletrectinib\n  activity: active\n  evidence: clinical"
    new = "  therapy: taletrectinib\n  activity: reduced\n  evidence: preclinical"
    quiz = Quiz(guidance=load_guidance(edit_content("activity.yaml", old, new)), lesson=5)
    card = quiz.card(index_of(quiz, "g2032r-clinical"))
    card.answer.value = ("repotrectinib", "taletrectinib")
    card.check_button.click()
    assert "✗ Not quite." in shown(card)
    assert "The answer: repotrectinib." in shown(card)
    card.answer.value = ("repotrectinib",)
    card.check_button.click()
    assert "✓ Correct." in shown(card)
