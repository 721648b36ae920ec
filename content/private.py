"""Files the course's server writes for its kernels (a snapshot to unpickle, HTML to show as it is) are used
only when they are this user's own and nobody else may write them."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def written_privately(path: Path) -> bool:
    """Whether `path` and its folder belong to this user and nobody else may write them. Raises OSError when
    `path` is not there. In the browser (Pyodide) every file is the page's own, unpacked from the site it came
    from, in a file system no other user shares, and all of them are writable by all: nothing to compare."""
    if sys.platform == "emscripten":
        path.stat()  # still an OSError when `path` is not there
        return True
    owner = os.getuid() if hasattr(os, "getuid") else None  # no owners to compare where there are no user ids
    for part in (path, path.parent):
        status = part.stat()
        if (owner is not None and status.st_uid != owner) or status.st_mode & 0o022:
            return False
    return True
