"""What the probe check scripts share: the gold format's keys, the failures found, and the report
that ends a run (exit 1 on any failure)."""
from __future__ import annotations

import sys

KEYS = ["id", "question", "answer", "aliases", "evidence", "type", "unanswerable", "conflict"]

failures: list[str] = []


def check(ok: bool, msg: str) -> None:
    if not ok:
        failures.append(msg)


def finish() -> None:
    if failures:
        print(f"\n{len(failures)} FAILED:")
        for f in failures:
            print(" -", f)
        sys.exit(1)
    print("all checks passed")
