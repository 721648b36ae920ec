"""The static site's `sitecustomize`, which the build puts in its copy of Pyodide's standard library: Python runs
it as each page's kernel starts, before the kernel imports anything.

A page's kernel works in the learner's drive (`/drive`, the browser's storage for the site), and Pyodide puts
the working directory on `sys.path`. So every import of a module not yet loaded would first look in the drive,
and each look is a round trip through the site's service worker (about a hundred at each kernel start). No page
imports anything from the drive: this path hook gives the drive a finder that finds nothing.
"""

import sys
from importlib.machinery import ModuleSpec

DRIVE = "/drive"


class NothingInTheDrive:
    """The finder for a path in the drive: no module is ever found there."""

    def find_spec(self, fullname: str, target: object = None) -> ModuleSpec | None:
        """No module of this name in the drive."""
        return None

    def invalidate_caches(self) -> None:
        """Nothing is cached."""


def drive_finder(path: str) -> NothingInTheDrive:
    """A path hook: the drive's finder for a path in the drive; any other path is left to the next hook."""
    if path == DRIVE or path.startswith(DRIVE + "/"):
        return NothingInTheDrive()
    raise ImportError(f"{path} is not in the drive")


sys.path_hooks.insert(0, drive_finder)
