"""Turn a post's findings into a verdict: tone-deaf or not, a 0-100 score, a band.

For a sales post in the acute phase, the three objections (why buy now, is it safe, what
eases the spend) are each reported as answered or missing. The score starts at 100 and each
flag (once, however many of its rules fired) or note costs points by severity (`COSTS`);
the breakdown is kept on the result so every point lost is explained. A post is tone-deaf
when any error-level flag fires. Bands: ``hold`` when tone-deaf or below 50, ``review``
below 80 or with a warning flag, else ``publish``. The README documents these numbers.
"""

from __future__ import annotations

from functools import lru_cache

from .models import PostResult

COSTS: dict[tuple[str, str], int] = {
    ("flag", "error"): 40,
    ("flag", "warning"): 15,
    ("flag", "info"): 5,
    ("note", "warning"): 5,
    ("note", "info"): 0,
    ("category", "warning"): 5,
}
HOLD_BELOW = 50
REVIEW_BELOW = 80
OBJECTIONS = {
    "why_now": "objection_why_now",
    "safe": "objection_safe",
    "spend": "objection_spend",
}


def judge(result: PostResult) -> None:
    """Fill `tone_deaf`, `score`, `band` and the score breakdown of a result in place."""
    breakdown = []
    total = 0
    seen: set[tuple[str, str]] = set()
    for f in result.findings:
        cost = COSTS.get((f.kind, f.severity), 0)
        if cost and (f.kind, f.label) not in seen:  # one cost per flag, however many rules
            seen.add((f.kind, f.label))
            breakdown.append(_cost_entry(f.rule, f.label, cost))
            total += cost
    result.score = max(0, 100 - total)
    result.tone_deaf = any(f.kind == "flag" and f.severity == "error" for f in result.findings)
    has_warning = any(f.kind == "flag" and f.severity == "warning" for f in result.findings)
    if result.tone_deaf or result.score < HOLD_BELOW:
        result.band = "hold"
    elif has_warning or result.score < REVIEW_BELOW:
        result.band = "review"
    else:
        result.band = "publish"
    result.extra["score_breakdown"] = breakdown
    labels = {f.label for f in result.findings}
    if "promotion" in labels and result.phase == "acute":
        result.extra["objections"] = _objections(
            tuple(label in labels for label in OBJECTIONS.values())
        )


# Results of a large audit repeat the same small records: share them (never mutated).
@lru_cache(maxsize=4096)
def _cost_entry(rule: str, label: str, cost: int) -> dict[str, object]:
    return {"rule": rule, "label": label, "cost": cost}


@lru_cache(maxsize=16)
def _objections(answered: tuple[bool, ...]) -> dict[str, bool]:
    return dict(zip(OBJECTIONS, answered, strict=True))
