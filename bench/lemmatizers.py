#!/usr/bin/env python3
"""Choose the English lookup lemmatizer by measurement (docs/lemmatizers.md).

    python bench/lemmatizers.py

English has no trusted statistical model on the package index, so English runs on a blank
pipeline with a lookup lemmatizer. For each candidate this counts, on the English rule
examples and the English posts of the development split: rule examples that behave as
declared, and category micro-F1.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crisis_audit import pipeline  # noqa: E402
from crisis_audit.api import build_engine  # noqa: E402
from crisis_audit.evaluation import evaluate  # noqa: E402
from crisis_audit.examples import example_cases, run_case  # noqa: E402
from crisis_audit.langdetect import detect_language  # noqa: E402
from crisis_audit.models import Post  # noqa: E402
from crisis_audit.readers import ReadOptions, read_path  # noqa: E402

# Inflected forms the English rules rely on (verbs of service, safety, sales), with lemmas.
FORMS = {
    "closing": "close",
    "closed": "close",
    "closes": "close",
    "reopening": "reopen",
    "reopened": "reopen",
    "delivering": "deliver",
    "delivered": "deliver",
    "shipped": "ship",
    "shipping": "ship",
    "staying": "stay",
    "stayed": "stay",
    "went": "go",
    "bought": "buy",
    "buying": "buy",
    "wore": "wear",
    "wearing": "wear",
    "washing": "wash",
    "washed": "wash",
    "laughing": "laugh",
    "donated": "donate",
    "donating": "donate",
    "protecting": "protect",
    "protected": "protect",
    "answered": "answer",
    "answering": "answer",
    "calling": "call",
    "called": "call",
    "joined": "join",
    "joining": "join",
    "cancelled": "cancel",
    "cancelling": "cancel",
    "booked": "book",
    "booking": "book",
    "rebooked": "rebook",
    "thanks": "thank",
    "cooking": "cook",
    "baked": "bake",
    "stores": "store",
    "orders": "order",
    "deliveries": "delivery",
    "masks": "mask",
    "hands": "hand",
    "nurses": "nurse",
    "doctors": "doctor",
    "kids": "kid",
    "children": "child",
    "families": "family",
    "workouts": "workout",
    "recipes": "recipe",
    "lives": "life",
    "sanitising": "sanitise",
}


def lemma_accuracy(nlp: object) -> str:
    good = sum(nlp(form)[0].lemma_.lower() == lemma for form, lemma in FORMS.items())  # type: ignore[operator]
    return f"{good}/{len(FORMS)}"


def measure(name: str) -> dict:
    pipeline.LOOKUP_LEMMATIZER = name
    pipeline.get_pipeline.cache_clear()
    engine = build_engine()
    cases = [
        c
        for c in example_cases(engine.ruleset.rules)
        if "en" in c.rule.languages and (c.example.lang or detect_language(c.example.text)) == "en"
    ]
    good = sum(run_case(engine, c) is None for c in cases)
    posts = [
        p
        for p in read_path(ROOT / "samples" / "dev.jsonl", ReadOptions())
        if isinstance(p, Post) and p.lang == "en"
    ]
    t0 = time.perf_counter()
    report = evaluate(list(engine.audit(posts)))
    seconds = time.perf_counter() - t0
    return {
        "lemmatizer": name,
        "pipeline": engine.language("en").nlp.pipe_names,
        "lemma_accuracy": lemma_accuracy(engine.language("en").nlp),
        "examples_ok": f"{good}/{len(cases)}",
        "dev_en_micro_f1": round(report.micro.f1, 3),
        "dev_en_macro_f1": round(report.macro_f1, 3),
        "seconds": round(seconds, 2),
    }


def main() -> int:
    rows = [measure(name) for name in pipeline.LEMMATIZERS]
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
