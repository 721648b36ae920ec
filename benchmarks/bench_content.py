"""Content: load and validate everything (target under 200 ms) and one lookup (target under 1 ms)."""

from __future__ import annotations

import subprocess
import sys

from timing import median_ms, report

from content.guidance import Guidance
from content.loader import load_knowledge

COLD_START = "import time; t = time.perf_counter(); from content import load_guidance; load_guidance(); " \
             "print((time.perf_counter() - t) * 1000)"


def main() -> None:
    """Print content load and lookup timings."""
    cold = sorted(
        float(subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    )[2]
    report("import + load + validate (new process, median)", cold, 200)
    report("load + validate all content (median)", median_ms(load_knowledge, 20), 200)
    guidance = Guidance(load_knowledge())
    report("lookup mutation 'p.Gly2032Arg'", median_ms(lambda: guidance.mutation("p.Gly2032Arg"), 2000), 1)
    report("lookup partner 'fig'", median_ms(lambda: guidance.partner("fig"), 2000), 1)
    report("activity rows for G2032R", median_ms(lambda: guidance.activity_rows("G2032R"), 2000), 1)
    report("next steps after crizotinib with G2032R",
           median_ms(lambda: guidance.next_steps(after="crizotinib", mutation="G2032R"), 2000), 1)
