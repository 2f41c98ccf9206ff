#!/usr/bin/env python3
"""Print the README's quality tables: `crisis-audit eval` on every split, full and fast mode.

    python scripts/eval_table.py

Development files are scored together (they are what the rules were written on), then the
measuring split, then the real posts of ../shared/eval/real_dev.jsonl when present.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "crisis_audit"]


def evaluate(path: Path, fast: bool) -> dict:
    cmd = [*CLI, "eval", "--format", "json", str(path)] + (["--fast"] if fast else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def _prf(c: dict) -> str:
    return f"{c['precision']:.2f} | {c['recall']:.2f} | {c['f1']:.2f}"


# Written to test the flags on new wording: each post's flags are labelled with care, its
# categories loosely (j, k) or not at all (l), so they are scored apart from the
# category-labelled dev files.
FLAG_SETS = (
    "dev-extra-j.jsonl",
    "dev-extra-k.jsonl",
    "dev-extra-l.jsonl",
    "dev-extra-m.jsonl",
    "dev-extra-n.jsonl",
)


def main() -> int:
    dev_files = sorted(f for f in (ROOT / "samples").glob("dev*.jsonl") if f.name not in FLAG_SETS)
    with tempfile.TemporaryDirectory() as tmp:
        dev = Path(tmp) / "development.jsonl"
        dev.write_text("".join(f.read_text(encoding="utf-8") for f in dev_files), encoding="utf-8")
        sets = [
            ("development (dev, dev-extra-a..i)", dev),
            *((f"flag set {name}", ROOT / "samples" / name) for name in FLAG_SETS),
            ("measuring split (test.jsonl)", ROOT / "samples" / "test.jsonl"),
        ]
        real = ROOT.parent / "shared" / "eval" / "real_dev.jsonl"
        if real.is_file():
            sets.append(("real posts (shared/eval/real_dev.jsonl)", real))
        results = {
            (name, fast): evaluate(path, fast) for name, path in sets for fast in (False, True)
        }
    print("| set | posts | mode | macro-F1 | micro-F1 | tone-deaf P / R / F1 |")
    print("|---|---|---|---|---|---|")
    for (name, fast), d in results.items():
        td = d.get("tone_deaf", {})
        tds = f"{td['precision']:.2f} / {td['recall']:.2f} / {td['f1']:.2f}" if td else ""
        labelled = _has_categories(d)  # a set labelled for flags only has no category score
        macro = f"{d['macro_f1']:.2f}" if labelled else "n/a"
        micro = f"{d['micro']['f1']:.2f}" if labelled else "n/a"
        print(
            f"| {name} | {d['posts']} | {'fast' if fast else 'full'} | {macro} | {micro} | {tds} |"
        )
    for name, _ in sets:
        d = results[(name, False)]
        if _has_categories(d):
            print(f"\n{name}, full mode, per category (P / R / F1, support):\n")
            print("| category | P | R | F1 | support |\n|---|---|---|---|---|")
            for cat, c in d["categories"].items():
                print(f"| {cat} | {_prf(c)} | {c['support']} |")
        else:
            print(f"\n{name}, full mode (labelled for flags only):")
        if d.get("flags"):
            print("\n| flag | P | R | F1 | support |\n|---|---|---|---|---|")
            for flag, c in d["flags"].items():
                print(f"| {flag} | {_prf(c)} | {c['support']} |")
    return 0


def _has_categories(d: dict) -> bool:  # type: ignore[type-arg]
    return any(c["support"] for c in d["categories"].values())


if __name__ == "__main__":
    sys.exit(main())
