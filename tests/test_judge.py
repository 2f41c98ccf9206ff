"""The verdict: tone-deaf, score and band follow the documented costs."""

from __future__ import annotations

from crisis_audit.judge import judge
from crisis_audit.models import Finding, Post, PostResult


def flag(rule: str, label: str, severity: str = "error") -> Finding:
    return Finding(rule, f"flag.{label}", "flag", label, severity, 0, 4, "text", "m", "a")


def verdict(*findings: Finding, phase: str = "acute") -> PostResult:
    result = PostResult(
        post=Post(text="text"), lang="fr", phase=phase, categories=[], findings=list(findings)
    )
    judge(result)
    return result


def test_clean_post_publishes() -> None:
    result = verdict()
    assert (result.score, result.band, result.tone_deaf) == (100, "publish", False)


def test_error_flag_makes_the_post_tone_deaf_and_held() -> None:
    result = verdict(flag("BU01", "business_as_usual"))
    assert (result.score, result.band, result.tone_deaf) == (60, "hold", True)
    assert result.extra["score_breakdown"] == [
        {"rule": "BU01", "label": "business_as_usual", "cost": 40}
    ]


def test_a_flag_costs_once_however_many_rules_fired() -> None:
    result = verdict(flag("UI01", "unsafe_invitation"), flag("UI04", "unsafe_invitation"))
    assert result.score == 60


def test_warning_flag_sends_to_review() -> None:
    result = verdict(flag("XX01", "anxiogenic_tone", "warning"))
    assert (result.score, result.band, result.tone_deaf) == (85, "review", False)
