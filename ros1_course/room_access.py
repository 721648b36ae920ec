"""Whether this kernel's server has a room (`ros1-course app --room`), and the self-check's Ask the room panel
when it has. Nothing of the room is imported until there is one: the static site's Python (Pyodide) has no
sqlite3, and its pages never have a room."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as w

from content import Guidance
from content.guidance import QuizQuestion
from widgets.presenter import RoomPanel

ROOM_FILE_VARIABLE = "ROS1_COURSE_ROOM_FILE"  # the run's room file, for the server and its kernels
ROOM_JOIN_VARIABLE = "ROS1_COURSE_ROOM_JOIN"  # the address phones open, without the room code


def room_panel() -> RoomPanel | None:
    """With `ros1-course app --room`, what makes a self-check's Ask the room panel; else None."""
    room_file, join_base = os.environ.get(ROOM_FILE_VARIABLE, ""), os.environ.get(ROOM_JOIN_VARIABLE, "")
    if not room_file or not Path(room_file).is_file():
        return None
    from .room_panel import AskTheRoom  # with a room only (sqlite3)

    def make(guidance: Guidance, questions: Sequence[QuizQuestion]) -> w.Widget:
        return AskTheRoom(guidance, questions, Path(room_file), join_base)

    return make
