"""The course's widgets, built on the guidance module alone: explorers, case stepper, quiz and panels."""

from .case import CaseStepper
from .panels import disclaimer, facts, options, references, review_status
from .partners import FusionPartnerExplorer
from .quiz import Quiz
from .resistance import ResistanceExplorer
from .style import style

__all__ = [
    "CaseStepper",
    "FusionPartnerExplorer",
    "Quiz",
    "ResistanceExplorer",
    "disclaimer",
    "facts",
    "options",
    "references",
    "review_status",
    "style",
]
