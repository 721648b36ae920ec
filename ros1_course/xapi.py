"""The learning record as xAPI 1.0.3 statements, for a learning record store or a portfolio that takes them.

- each checked self-check answer: *answered* (ADL verb), the question as a cmi.interaction activity, with the
  options chosen as the response and whether it was right;
- each lesson whose page reported the learner there: *attempted*, when it was first active;
- each completed lesson (every self-check question answered and, where its page reported them, every section
  seen): *completed*, with the score of the latest answers (raw, max, scaled) and the active time on its page
  as an ISO 8601 duration (none where no page reported it);
- each reflection: *commented*, its two answers as the response (the learner's own words, as they wrote them).

The actor is the learner as they choose: their name, or nobody (an account known only by a random id this
computer keeps). Statement ids are derived from the learner's id and the attempt, so exporting again never
makes a statement twice in a store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content import Guidance
from content.guidance import QuizQuestion

from .documents import COURSE_NAME, lesson_title
from .record import data_dir, write_atomic
from .record_format import Attempt, RecordContents, completed_lessons

XAPI_VERSION = "1.0.3"
ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
ATTEMPTED = {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}}
COMMENTED = {"id": "http://adlnet.gov/expapi/verbs/commented", "display": {"en-US": "commented"}}
QUESTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
DEFAULT_ACTIVITY_BASE = "https://ros1-course.invalid/"  # replace with where the course is published
LEARNER_ID_FILE = "learner-id"
STATEMENT_NAMESPACE = uuid.UUID("6f1b7c52-36a2-4f6e-9d38-3c1f0d7e2a41")  # this course's statement ids


@dataclass(frozen=True)
class Learner:
    """Who the statements are about: an account with this computer's random learner id, named or not."""

    id: str
    name: str | None = None

    def actor(self, home: str) -> dict[str, Any]:
        agent: dict[str, Any] = {"objectType": "Agent", "account": {"homePage": home, "name": self.id}}
        if self.name:
            agent["name"] = self.name
        return agent


def learner_id(folder: Path | None = None) -> str:
    """This computer's random learner id (made once, kept beside the record): nothing about the person."""
    path = (folder or data_dir()) / LEARNER_ID_FILE
    try:
        return str(uuid.UUID(path.read_text(encoding="utf-8").strip()))
    except (FileNotFoundError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        made = str(uuid.uuid4())
        write_atomic(path, made + "\n", mode=0o600)
        return made


def _activity(iri: str, kind: str, name: str, **definition: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": kind, "name": {"en-GB": name}, **definition}}


def iso_duration(seconds: int) -> str:
    """Seconds as an ISO 8601 duration: 3725 -> 'PT1H2M5S', 0 -> 'PT0S'."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return f"PT{parts}{seconds}S" if seconds or not parts else f"PT{parts}"


def statements(contents: RecordContents, guidance: Guidance, learner: Learner,
               base: str = DEFAULT_ACTIVITY_BASE) -> list[dict[str, Any]]:
    """The statements for a record: one *attempted* per lesson visited, the answers (oldest first), one
    *completed* per completed lesson, one *commented* per reflection."""
    base = base if base.endswith("/") else base + "/"
    actor = learner.actor(base)
    course = _activity(base, COURSE_TYPE, COURSE_NAME)
    questions = {question.id: question for question in guidance.questions()}

    def lesson_activity(number: int) -> dict[str, Any]:
        return _activity(f"{base}lessons/{number:02d}", LESSON_TYPE, lesson_title(guidance, number))

    def statement(key: str, verb: dict[str, Any], when: str, activity: dict[str, Any],
                  **more: Any) -> dict[str, Any]:
        return {"id": str(uuid.uuid5(STATEMENT_NAMESPACE, f"{learner.id}/{key}")), "version": XAPI_VERSION,
                "actor": actor, "verb": verb, "timestamp": when, "object": activity, **more}

    in_course = {"contextActivities": {"grouping": [course]}}
    made = [statement(f"attempted/{visit.lesson}/{visit.started}", ATTEMPTED, visit.started,
                      lesson_activity(visit.lesson), context=in_course) for visit in contents.visits]
    for index, attempt in enumerate(contents.attempts):
        question = questions.get(attempt.question)
        prompt = question.prompt if question else attempt.question
        made.append(statement(
            f"answered/{index}/{attempt.when}", ANSWERED, attempt.when,
            _activity(f"{base}questions/{attempt.question}", QUESTION_TYPE, prompt, **interaction(question)),
            result={"success": attempt.correct, "response": response(attempt, question.options if question else ())},
            context={"contextActivities": {"parent": [lesson_activity(attempt.lesson)], "grouping": [course]}}))
    for done in completed_lessons(contents, guidance):
        result: dict[str, Any] = {"completion": True, "success": done.correct == done.questions,
                                  "score": {"raw": done.correct, "min": 0, "max": done.questions,
                                            "scaled": round(done.correct / done.questions, 4)}}
        if done.seconds is not None:
            result["duration"] = iso_duration(done.seconds)
        made.append(statement(f"completed/{done.lesson}/{done.when}", COMPLETED, done.when,
                              lesson_activity(done.lesson), result=result, context=in_course))
    for reflection in contents.reflections:
        words = (f"What I learned: {reflection.learned}\n"
                 f"What I will do differently: {reflection.differently}")
        made.append(statement(f"commented/{reflection.lesson}/{reflection.when}", COMMENTED, reflection.when,
                              lesson_activity(reflection.lesson), result={"response": words}, context=in_course))
    return made


def option_id(index: int) -> str:
    """A choice's id in the statements: its place among the question's options."""
    return f"option-{index}"


def interaction(question: QuizQuestion | None) -> dict[str, Any]:
    """A question's xAPI definition: a choice interaction with its options and correct response ('other' for a
    question the content no longer has)."""
    if question is None:
        return {"interactionType": "other"}
    options = question.options
    return {"interactionType": "choice",
            "choices": [{"id": option_id(n), "description": {"en-GB": option}} for n, option in enumerate(options)],
            "correctResponsesPattern": ["[,]".join(option_id(n) for n, option in enumerate(options)
                                                   if option in question.answer)]}


def response(attempt: Attempt, options: Sequence[str]) -> str:
    """The xAPI response of a choice: the chosen options' ids joined by [,] (the option text when unknown)."""
    ids = [option_id(options.index(chosen)) if chosen in options else chosen for chosen in attempt.answer]
    return "[,]".join(ids) or "(none)"


def write_statements(made: Sequence[dict[str, Any]], output: Path) -> None:
    """Write statements as one JSON array (written whole, then moved into place)."""
    write_atomic(output, json.dumps(list(made), ensure_ascii=False, indent=1) + "\n")
