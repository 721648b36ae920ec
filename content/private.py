"""Files the course's server writes for its kernels (a snapshot to unpickle, HTML to show as it is) are used
only when they are this user's own and nobody else may write them."""

from __future__ import annotations

import os
from pathlib import Path


def written_privately(path: Path) -> bool:
    """Whether `path` and its folder belong to this user and nobody else may write them. Raises OSError when
    `path` is not there."""
    owner = os.getuid() if hasattr(os, "getuid") else None  # no owners to compare where there are no user ids
    for part in (path, path.parent):
        status = part.stat()
        if (owner is not None and status.st_uid != owner) or status.st_mode & 0o022:
            return False
    return True
