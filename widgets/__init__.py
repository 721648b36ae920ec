"""The course's widgets, built on the guidance module alone: explorers, case stepper, quiz, panels and the
presenter app. Sections are rendered once, by `widgets.sections`, for the widgets, lessons and documents."""

from .case import CaseStepper
from .panels import disclaimer, facts, options, references, review_status
from .partners import FusionPartnerExplorer
from .presenter import PresenterApp
from .quiz import Quiz, Recorder
from .resistance import ResistanceExplorer
from .style import style

__all__ = [
    "CaseStepper",
    "FusionPartnerExplorer",
    "PresenterApp",
    "Quiz",
    "Recorder",
    "ResistanceExplorer",
    "disclaimer",
    "facts",
    "options",
    "references",
    "review_status",
    "style",
]
