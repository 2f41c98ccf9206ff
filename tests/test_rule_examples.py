"""Every rule's own examples, one pytest case each (``pytest -k RE01`` runs one rule)."""

from __future__ import annotations

import pytest

from crisis_audit.engine import Engine
from crisis_audit.examples import ExampleCase, example_cases, run_case
from crisis_audit.rulepack import load_rules

CASES = list(example_cases(load_rules().rules))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_example(engine: Engine, case: ExampleCase) -> None:
    problem = run_case(engine, case)
    assert problem is None, problem


def test_every_shipped_rule_has_examples_of_both_kinds() -> None:
    for rule in load_rules().rules:
        assert len(rule.fail_examples) >= 2 and len(rule.pass_examples) >= 2, rule.code


def test_every_category_has_rules_in_both_languages() -> None:
    from crisis_audit.taxonomy import CATEGORIES

    covered = {(r.label, lang) for r in load_rules().rules for lang in r.languages}
    missing = [(c, lang) for c in CATEGORIES for lang in ("fr", "en") if (c, lang) not in covered]
    assert not missing
