"""Measure the engine against labelled posts: per-category and per-flag precision/recall/F1.

A pure function of gold labels and results, so ``crisis-audit eval``, the test suite and the
benchmark all compute figures the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import PostResult
from .taxonomy import CATEGORIES, FLAGS


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class EvalReport:
    posts: int = 0
    categories: dict[str, Counts] = field(default_factory=dict)
    flags: dict[str, Counts] = field(default_factory=dict)
    tone_deaf: Counts | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.categories.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the categories present in the gold labels."""
        scored = [c.f1 for c in self.categories.values() if c.support]
        return sum(scored) / len(scored) if scored else 0.0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "posts": self.posts,
            "categories": {k: v.to_dict() for k, v in self.categories.items()},
            "micro": self.micro.to_dict(),
            "macro_f1": round(self.macro_f1, 3),
        }
        if self.tone_deaf is not None:
            data["tone_deaf"] = self.tone_deaf.to_dict()
        if self.flags:
            data["flags"] = {k: v.to_dict() for k, v in self.flags.items()}
        data["errors"] = self.errors
        return data


def _count(counts: Counts, gold: bool, predicted: bool) -> None:
    if gold and predicted:
        counts.tp += 1
    elif predicted:
        counts.fp += 1
    elif gold:
        counts.fn += 1


def evaluate(results: list[PostResult]) -> EvalReport:
    """Compare each result with its post's gold `labels`, `tone_deaf` and `flags`."""
    report = EvalReport(categories={c: Counts() for c in CATEGORIES})
    has_tone = any(r.post.tone_deaf is not None for r in results)
    has_flags = any(r.post.flags is not None for r in results)
    if has_tone:
        report.tone_deaf = Counts()
    if has_flags:
        report.flags = {f: Counts() for f in FLAGS}
    for r in results:
        if r.post.labels is None:
            continue
        report.posts += 1
        gold = set(r.post.labels)
        predicted = set(r.category_ids)
        for cat, counts in report.categories.items():
            _count(counts, cat in gold, cat in predicted)
        entry: dict[str, Any] = {"id": r.post.id, "source": r.post.source, "text": r.post.text}
        missed, extra = sorted(gold - predicted), sorted(predicted - gold)
        if report.tone_deaf is not None and r.post.tone_deaf is not None:
            _count(report.tone_deaf, r.post.tone_deaf, r.tone_deaf)
            if r.post.tone_deaf != r.tone_deaf:
                entry["tone_deaf"] = {"expected": r.post.tone_deaf, "got": r.tone_deaf}
        if report.flags and r.post.flags is not None:
            gold_flags, got_flags = set(r.post.flags), set(r.flag_ids)
            for flag, counts in report.flags.items():
                _count(counts, flag in gold_flags, flag in got_flags)
            if gold_flags != got_flags:
                entry["flags_missed"] = sorted(gold_flags - got_flags)
                entry["flags_extra"] = sorted(got_flags - gold_flags)
        if missed or extra or len(entry) > 3:
            entry["missed"] = missed
            entry["false_alarms"] = extra
            entry["evidence"] = {
                f.label: f.text for f in r.findings if f.kind in ("category", "flag")
            }
            report.errors.append(entry)
    return report
