"""Whether lessons keep a learning record by default, without importing the record itself (filelock and
platformdirs, which a lesson's kernel then never loads when nothing is recorded)."""

from __future__ import annotations

import os
from collections.abc import Mapping

RECORD_VARIABLE = "ROS1_COURSE_RECORD"


def recording_wanted(in_kernel: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether lessons record attempts by default: as $ROS1_COURSE_RECORD says (1/0; `ros1-course app`
    sets 0 for the kernels of the shared app unless asked to record), and when it says nothing, only in a
    Jupyter kernel (a lesson in JupyterLab), not in scripts or tests."""
    wanted = environ.get(RECORD_VARIABLE, "").strip().lower()
    if wanted in ("0", "false", "no", "off"):
        return False
    return wanted in ("1", "true", "yes", "on") or in_kernel


IDLE_VARIABLE = "ROS1_COURSE_IDLE_SECONDS"
REPORT_VARIABLE = "ROS1_COURSE_REPORT_SECONDS"


def activity_timing(environ: Mapping[str, str] = os.environ) -> tuple[int, int]:
    """How a lesson page measures active time: (idle, every) in seconds. Idle: how long after the learner's
    last pointer move, key or scroll the page still counts as in use (default 60, $ROS1_COURSE_IDLE_SECONDS);
    every: how often it reports to the record (default 15, $ROS1_COURSE_REPORT_SECONDS). Values that are not
    whole numbers from 1 to 600 are ignored."""
    def seconds(name: str, default: int) -> int:
        value = environ.get(name, "").strip()
        return int(value) if value.isdigit() and 1 <= int(value) <= 600 else default

    return seconds(IDLE_VARIABLE, 60), seconds(REPORT_VARIABLE, 15)
