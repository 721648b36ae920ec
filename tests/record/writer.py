"""A real writer process for the learning record tests: adds attempts one by one and prints each index once
`add` has returned (the attempt is acknowledged). Usage: writer.py RECORD TAG COUNT [--start-when FILE]."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("record", type=Path)
    parser.add_argument("tag")
    parser.add_argument("count", type=int)
    parser.add_argument("--start-when", type=Path, help="wait until this file exists, so writers overlap")
    args = parser.parse_args()
    record = LearningRecord(args.record, notify=lambda message: print(f"NOTICE {message}", flush=True))
    print("ready", flush=True)
    while args.start_when and not args.start_when.exists():
        time.sleep(0.005)
    for index in range(args.count):
        record.add(Attempt.now(f"{args.tag}-{index}", 1, [f"option {index}"], index % 2 == 0))
        print(index, flush=True)


if __name__ == "__main__":
    main()
