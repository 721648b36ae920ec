"""Quiz: self-check questions with feedback after an attempt (right or wrong, the reason, its sources)."""

from __future__ import annotations

import ipywidgets as w
import traitlets

from content import Guidance, load_guidance
from content.guidance import QuizQuestion

from .controls import CheckboxGroup, labelled
from .markup import cite, esc, note_box
from .style import root, style


class QuestionCard(w.VBox):
    """One question: its answer control (`answer`: RadioButtons, value None until chosen, or CheckboxGroup),
    a `check_button`, and `feedback` (HTML, empty until an attempt). `result` is True or False after a check,
    None before one and again once the answer changes."""

    result = traitlets.Bool(None, allow_none=True)

    def __init__(self, guidance: Guidance, question: QuizQuestion, number: int, total: int) -> None:
        self.guidance = guidance
        self.question = question
        single = question.kind == "single"
        how = "Choose one answer." if single else "Choose all that apply."
        self.answer: w.RadioButtons | CheckboxGroup
        if single:
            self.answer = labelled(w.RadioButtons(options=question.options, value=None,
                                                  description=question.prompt))
            self.answer.add_class("ros1-stack")
        else:
            self.answer = CheckboxGroup(question.options, question.prompt)
        self.check_button = w.Button(description="Check answer",
                                     tooltip=f"Check your answer to question {number}")
        self.feedback = w.HTML()
        super().__init__([
            w.HTML(f"<h4>Question {number} of {total}</h4><p>{how}</p>"), self.answer, self.check_button,
            self.feedback,
        ])
        self.add_class("ros1-question")
        self.check_button.on_click(self.check)
        self.answer.observe(self._answer_changed, "value")

    @property
    def chosen(self) -> frozenset[str]:
        """The options the learner has chosen."""
        value = self.answer.value
        if value is None:
            return frozenset()
        return frozenset([value]) if isinstance(value, str) else frozenset(value)

    def check(self, _button: object = None) -> None:
        """Mark the answer and show why, with the sources; asks for an answer if none is chosen."""
        if not self.chosen:
            self.result = None
            self.feedback.value = note_box("Choose an answer first, then check it.", "message")
            return
        q = self.question
        self.result = self.chosen == q.answer
        verdict = '<span aria-hidden="true">✓</span> Correct.' if self.result else (
            '<span aria-hidden="true">✗</span> Not quite.')
        answer = "; ".join(esc(option) for option in q.options if option in q.answer)
        self.feedback.value = note_box(
            f"<p><strong>{verdict}</strong> The answer: {answer}.</p>"
            f"<p>{esc(q.explanation)} {cite(self.guidance, q.sources)}</p>",
            "correct" if self.result else "wrong",
        )

    def _answer_changed(self, _change: object = None) -> None:
        self.result = None
        self.feedback.value = ""


class Quiz(w.VBox):
    """Self-check questions, all or one lesson's. `cards` holds a QuestionCard per question; `score` (HTML)
    says how many are answered correctly."""

    def __init__(self, guidance: Guidance | None = None, lesson: int | None = None) -> None:
        self.guidance = guidance or load_guidance()
        self.lesson = lesson
        questions = self.guidance.questions(lesson)
        self.cards = [QuestionCard(self.guidance, q, i, len(questions)) for i, q in enumerate(questions, 1)]
        self.score = w.HTML()
        title = "Check your understanding" + (f": lesson {lesson}" if lesson is not None else "")
        which = f"lesson {lesson}" if lesson is not None else "this course"
        empty = [] if self.cards else [
            w.HTML(note_box(f"There are no self-check questions for {which} yet.", "message"))]
        super().__init__([style(), w.HTML(f"<h3>{esc(title)}</h3>"), *empty, *self.cards, self.score])
        root(self, "ros1-quiz")
        for card in self.cards:
            card.observe(self._update_score, "result")
        self._update_score()

    @property
    def correct(self) -> int:
        """How many questions were last checked as correct."""
        return sum(card.result is True for card in self.cards)

    def _update_score(self, _change: object = None) -> None:
        if not self.cards:
            self.score.value = ""
            return
        self.score.value = (f'<p aria-live="polite"><strong>Score: {self.correct} of {len(self.cards)} '
                            "correct</strong></p>")
