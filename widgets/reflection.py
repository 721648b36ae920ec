"""The learner's reflection on a lesson, for their portfolio: what they learned and what they will do
differently, kept where a `ReflectionKeeper` (the learning record) keeps it. Free text, never markup."""

from __future__ import annotations

from typing import Protocol

import ipywidgets as w
from markupsafe import Markup

from .controls import labelled
from .render import box
from .style import root, text
from .words import utc_time

LEARNED = "What I learned"
DIFFERENTLY = "What I will do differently"


class SavedReflection(Protocol):
    """A reflection as kept: the two answers and when (ISO 8601 UTC)."""

    @property
    def learned(self) -> str: ...

    @property
    def differently(self) -> str: ...

    @property
    def when(self) -> str: ...


class ReflectionKeeper(Protocol):
    """Where reflections are kept (the learning record)."""

    def reflection(self, lesson: int) -> SavedReflection | None:
        """The lesson's saved reflection, if any; OSError when the record cannot be reached (a browser that
        keeps no storage for the site)."""
        ...

    def save_reflection(self, lesson: int, learned: str, differently: str) -> list[str]:
        """Keep the lesson's reflection in place of an earlier one; return messages for the learner (e.g. it
        could not be saved)."""
        ...


class ReflectionBox(w.VBox):
    """Two labelled text areas (`learned`, `differently`), a `save_button` and a `status` line; opens with the
    lesson's saved reflection, if any. Each answer may be up to `max_chars` characters (the keeper's limit)."""

    def __init__(self, lesson: int, keeper: ReflectionKeeper, max_chars: int) -> None:
        self.lesson = lesson
        self.keeper = keeper
        self.max_chars = max_chars
        unread = ""
        try:
            saved = keeper.reflection(lesson)
        except OSError as error:
            saved, unread = None, box(f"Your learning record cannot be read here ({error.strerror or error}), so "
                                      "a reflection may not be kept.", "message")
        self.learned = self._area(LEARNED, saved.learned if saved else "")
        self.differently = self._area(DIFFERENTLY, saved.differently if saved else "")
        self.save_button = w.Button(description="Save my reflection",
                                    tooltip=f"Keep this reflection on lesson {lesson} in your learning record")
        self.status = text(self._saved_line(saved) if saved else unread)
        super().__init__([
            text(Markup("<h3>Your reflection (optional)</h3><p>For your portfolio: a few words on this lesson. "
                        "It is kept only in your learning record, on this computer or in this browser, and goes "
                        "into the exports you make of it.</p>")),
            self.learned, self.differently, self.save_button, self.status])
        root(self, "ros1-reflection")
        self.save_button.on_click(lambda _button: self.save())

    def __repr__(self) -> str:
        return f"ReflectionBox(lesson={self.lesson})"

    @staticmethod
    def _area(label: str, value: str) -> w.Textarea:
        area = labelled(w.Textarea(value=value, description=label, rows=3, layout=w.Layout(width="100%")))
        area.add_class("ros1-stack")
        return area

    @staticmethod
    def _saved_line(saved: SavedReflection) -> Markup:
        return Markup('<p role="status">Saved in your learning record ({} UTC).</p>').format(utc_time(saved.when))

    def save(self) -> None:
        """Keep what the learner wrote (refused, with the reason, when empty or too long)."""
        learned, differently = self.learned.value.strip(), self.differently.value.strip()
        if not learned and not differently:
            self.status.value = box("Write something in one of the boxes first.", "message")
            return
        too_long = [label for label, words in ((LEARNED, learned), (DIFFERENTLY, differently))
                    if len(words) > self.max_chars]
        if too_long:
            self.status.value = box(f"“{too_long[0]}” is too long: at most {self.max_chars:,} characters. Nothing "
                                    "was saved.", "message")
            return
        notes = self.keeper.save_reflection(self.lesson, learned, differently)
        try:
            saved = self.keeper.reflection(self.lesson)
        except OSError:
            saved = None
        kept = saved is not None and (saved.learned, saved.differently) == (learned, differently)
        self.status.value = "".join(box(note, "message") for note in notes) + (
            self._saved_line(saved) if saved is not None and kept else "")
