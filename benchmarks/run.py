"""`make bench`: run every benchmarks/bench_*.py module's main() in turn; each prints its figures."""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Print the machine, then each benchmark's figures (nothing is asserted)."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {memory_gib:.1f} GiB, "
          f"Python {platform.python_version()}")
    selected = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and path.stem.removeprefix("bench_") not in selected:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        print(f"\n== {path.stem.removeprefix('bench_')} ==")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
