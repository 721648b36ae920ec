"""The course's knowledge: validated content files and the guidance module that answers questions about them."""

from .errors import ContentError, Problem, UnknownEntryError
from .guidance import Guidance, load_guidance

__all__ = ["ContentError", "Guidance", "Problem", "UnknownEntryError", "load_guidance"]
