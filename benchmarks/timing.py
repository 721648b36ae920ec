"""Small timing helpers shared by the benchmark modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], repeat: int = 20) -> float:
    """Median wall time of `action` in milliseconds over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(label: str, value_ms: float, target_ms: float) -> None:
    """One line: the figure, the target and their ratio."""
    verdict = "ok" if value_ms <= target_ms else "OVER TARGET"
    ratio = value_ms / target_ms
    print(f"{label:<46} {value_ms:10.3f} ms   target {target_ms:7.1f} ms   ratio {ratio:6.3f}  {verdict}")
