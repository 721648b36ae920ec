"""Quiz: self-check questions with feedback after an attempt (right or wrong, the reason, its sources).

A quiz given a `Recorder` hands it every checked attempt (the course application's learning record is one);
without one, nothing is kept beyond the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import ipywidgets as w
import traitlets
from markupsafe import Markup

from content import Guidance, load_guidance
from content.guidance import QuizQuestion

from .citations import Citations
from .controls import CheckboxGroup, labelled
from .render import box
from .style import column, root, row, text
from .terms import with_terms


class Recorder(Protocol):
    """Where checked attempts are kept (the learning record)."""

    def save(self, question: QuizQuestion, chosen: Sequence[str], correct: bool) -> list[str]:
        """Keep one checked attempt; return messages for the learner (e.g. the record could not be read)."""
        ...


class QuestionCard(w.VBox):
    """One question: its answer control (`answer`: RadioButtons, value None until chosen, or CheckboxGroup),
    a `check_button`, and `feedback` (HTML, empty until an attempt). `result` is True or False after a check,
    None before one and again once the answer changes. With a `record`, every check of an answer is saved in it."""

    result = traitlets.Bool(None, allow_none=True)

    def __init__(self, guidance: Guidance, question: QuizQuestion, number: int,
                 record: Recorder | None = None) -> None:
        self.guidance = guidance
        self.question = question
        self.record = record
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
        self.feedback = text()
        super().__init__([
            text(f"<p>{how}</p>"), self.answer, self.check_button, self.feedback])
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
            self.feedback.value = box("Choose an answer first, then check it.", "message")
            return
        q = self.question
        self.result = self.chosen == q.answer
        verdict = Markup('<span aria-hidden="true">✓</span> Correct.' if self.result else
                         '<span aria-hidden="true">✗</span> Not quite.')
        answer = "; ".join(option for option in q.options if option in q.answer)
        feedback = Markup("<p><strong>{}</strong> The answer: {}.</p><p>{} {}</p>").format(
            verdict, answer, q.explanation, Citations(self.guidance).cite(q.sources))
        notes = self.record.save(q, [o for o in q.options if o in self.chosen], self.result) if self.record else []
        self.feedback.value = with_terms(self.guidance, box(feedback, "correct" if self.result else "wrong")) + (
            "".join(box(note, "message") for note in notes))

    def _answer_changed(self, _change: object = None) -> None:
        self.result = None
        self.feedback.value = ""


class Quiz(w.VBox):
    """Self-check questions, all or one lesson's, one at a time (each question's controls are built when it
    is first shown, so a long quiz opens quickly). Controls: `previous_button`, `next_button`; `card(i)` is
    question i's QuestionCard (0-based, built on demand) and `current` the one shown. Shown: `position`
    ('Question 2 of 5'), `stage` (the box holding the question shown) and `score` ('n of m correct')."""

    def __repr__(self) -> str:
        return f"Quiz(lesson={self.lesson!r}, questions={len(self.questions)})"

    def __init__(self, guidance: Guidance | None = None, lesson: int | None = None,
                 record: Recorder | None = None) -> None:
        """`record`: where checked attempts are kept (the learning record), or None to keep none."""
        self.guidance = guidance or load_guidance()
        self.lesson = lesson
        self.record = record
        self.questions = self.guidance.questions(lesson)
        self._cards: dict[int, QuestionCard] = {}
        self.index = 0
        self.position = text()
        self.score = text()
        self.previous_button = w.Button(description="Previous question", icon="arrow-left")
        self.next_button = w.Button(description="Next question", icon="arrow-right")
        self.stage = column()
        title = "Check your understanding" + (f": lesson {lesson}" if lesson is not None else "")
        which = f"lesson {lesson}" if lesson is not None else "this course"
        body: list[w.Widget] = [self.position, self.stage, self.score,
                                row(self.previous_button, self.next_button)] if self.questions else [
            text(box(f"There are no self-check questions for {which} yet.", "message"))]
        if self.record and self.questions:
            body.append(text("<p><em>Your checked answers are saved in your learning record on this computer: "
                               "<code>ros1-course record</code> shows your progress.</em></p>"))
        super().__init__([text(Markup("<h3>{}</h3>").format(title)), *body])
        root(self, "ros1-quiz")
        self.previous_button.on_click(lambda _button: self.go(self.index - 1))
        self.next_button.on_click(lambda _button: self.go(self.index + 1))
        if self.questions:
            self.go(0)

    @property
    def current(self) -> QuestionCard:
        """The question shown."""
        return self.card(self.index)

    @property
    def correct(self) -> int:
        """How many questions were last checked as correct."""
        return sum(card.result is True for card in self._cards.values())

    def card(self, index: int) -> QuestionCard:
        """Question `index` (0-based), built the first time it is asked for."""
        if index not in self._cards:
            card = QuestionCard(self.guidance, self.questions[index], index + 1, self.record)
            card.observe(self._update_score, "result")
            self._cards[index] = card
        return self._cards[index]

    def go(self, index: int) -> None:
        """Show question `index` (0-based), within bounds."""
        self.index = min(max(index, 0), len(self.questions) - 1)
        self.stage.children = (self.current,)
        self.position.value = (f'<p aria-live="polite"><strong>Question {self.index + 1} of '
                               f"{len(self.questions)}</strong></p>")
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.questions) - 1
        self._update_score()

    def _update_score(self, _change: object = None) -> None:
        self.score.value = (f'<p aria-live="polite"><strong>Score: {self.correct} of {len(self.questions)} '
                            "correct</strong></p>")

