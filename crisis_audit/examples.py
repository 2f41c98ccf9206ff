"""Run every rule's own examples: ``fail`` texts must make the rule fire, ``pass`` must not.

Used by ``crisis-audit rules test`` and by the test suite (one pytest case per example).
Examples run in phase ``acute`` unless they name another or a ``date`` (whose phase and
restrictions then apply), since that is where crisis rules matter most; the language is the
example's ``lang`` or the detected one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .engine import Engine
from .models import Post
from .rulepack import Example, Rule

DEFAULT_EXAMPLE_PHASE = "acute"


@dataclass(frozen=True)
class ExampleCase:
    rule: Rule
    expect: str  # "fail" (must fire) or "pass" (must not)
    index: int
    example: Example

    @property
    def id(self) -> str:
        return f"{self.rule.code}-{self.expect}-{self.index}"


def example_cases(rules: list[Rule]) -> Iterator[ExampleCase]:
    for rule in rules:
        for expect, examples in (("fail", rule.fail_examples), ("pass", rule.pass_examples)):
            for i, example in enumerate(examples):
                yield ExampleCase(rule, expect, i, example)


def run_case(engine: Engine, case: ExampleCase) -> str | None:
    """None when the example behaves as declared, else a one-line explanation."""
    ex = case.example
    post = Post(
        text=ex.text,
        id=case.id,
        lang=ex.lang,
        # a dated example takes the phase (and restrictions) of its date
        phase=ex.phase or (None if ex.date else DEFAULT_EXAMPLE_PHASE),
        date=ex.date,
        source=case.rule.source,
    )
    result = engine.audit_one(post)
    fired = case.rule.code in result.fired
    if case.expect == "fail" and not fired:
        return f"{case.id}: should fire but did not ({result.lang}): {ex.text!r}"
    if case.expect == "pass" and fired:
        spans = [f.text for f in result.findings if f.rule == case.rule.code]
        return f"{case.id}: should not fire but matched {spans} ({result.lang}): {ex.text!r}"
    return None
