"""Full mode gives byte-identical results on the benchmark calendar: speed work may change
how fast, never what. Refresh with ``python scripts/update_golden.py`` after a deliberate
rule change, and say so in the commit."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

from crisis_audit.api import build_engine
from crisis_audit.readers import ReadOptions, read_path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "bench-calendar.jsonl"
POSTS = 400


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_benchmark", ROOT / "bench" / "benchmark.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def current_lines() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        calendar = Path(tmp) / "calendar.jsonl"
        _bench().make_calendar(POSTS, calendar)
        posts = list(read_path(calendar, ReadOptions()))
        engine = build_engine()
        lines = []
        for result in engine.audit(posts):
            data = result.to_dict()
            data["source"] = data["source"].rsplit(":", 1)[-1]  # the temporary path varies
            lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        return lines


def test_full_mode_results_are_byte_identical_to_golden() -> None:
    expected = GOLDEN.read_text(encoding="utf-8").splitlines(keepends=True)
    got = current_lines()
    assert len(got) == len(expected) == POSTS
    changed = [i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b]
    assert not changed, f"{len(changed)} posts differ, first: {got[changed[0]][:300]}"
