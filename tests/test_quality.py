"""Classification quality on the measuring split, computed now (never a stored figure).

samples/test.jsonl is never used to write rules; these thresholds are the acceptance bars.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_audit.engine import Engine
from crisis_audit.evaluation import EvalReport, evaluate
from crisis_audit.models import Post
from crisis_audit.readers import ReadOptions, read_path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def measuring_report(engine: Engine) -> EvalReport:
    posts = [p for p in read_path(SAMPLES / "test.jsonl", ReadOptions()) if isinstance(p, Post)]
    assert len(posts) >= 90
    return evaluate(list(engine.audit(posts)))


def test_macro_f1_on_measuring_split(measuring_report: EvalReport) -> None:
    assert measuring_report.macro_f1 >= 0.75, measuring_report.to_dict()["categories"]


def _sample_posts(name: str, phase: str) -> list[Post]:
    posts = [p for p in read_path(SAMPLES / name, ReadOptions()) if isinstance(p, Post)]
    assert len(posts) >= 20
    for post in posts:
        post.phase = phase
    return posts


def _flagged(engine: Engine, posts: list[Post]) -> list[tuple[str, list[str]]]:
    """Posts with a flag above info level, as (id, flags)."""
    return [
        (r.post.id, r.flag_ids)
        for r in engine.audit(posts)
        if any(f.kind == "flag" and f.severity != "info" for f in r.findings)
    ]


@pytest.mark.parametrize("phase", ["none", "recovery"])
def test_ordinary_marketing_raises_no_flag_outside_the_crisis(engine: Engine, phase: str) -> None:
    """samples/ordinary-times.jsonl: sales, events, urgency and spooky wording as any brand
    posts them; outside the crisis none of it is tone-deaf (in a lockdown most of it is)."""
    assert _flagged(engine, _sample_posts("ordinary-times.jsonl", phase)) == []
    in_lockdown = list(engine.audit(_sample_posts("ordinary-times.jsonl", "acute")))
    assert sum(r.tone_deaf for r in in_lockdown) >= len(in_lockdown) * 0.8


def test_fine_lockdown_posts_raise_no_flag(engine: Engine) -> None:
    """samples/fine-in-lockdown.jsonl: closures, delivery, online events, empathy, thanks,
    postponements — what brands did right in March 2020 must pass in the acute phase."""
    assert _flagged(engine, _sample_posts("fine-in-lockdown.jsonl", "acute")) == []
