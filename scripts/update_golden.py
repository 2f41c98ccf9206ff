#!/usr/bin/env python3
"""Refresh tests/golden/bench-calendar.jsonl, on purpose only (after a deliberate rule change).

The golden file pins every verdict of full mode on a slice of the benchmark's synthetic
calendar, so that speed work can prove it changed nothing (tests/test_golden.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_golden import GOLDEN, current_lines  # noqa: E402


def main() -> int:
    lines = current_lines()
    GOLDEN.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(lines)} posts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
