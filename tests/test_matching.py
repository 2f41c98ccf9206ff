"""The matching shortcuts skip work, never matches: checked against the unshortened way."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from crisis_audit.api import build_engine
from crisis_audit.matching import _token_anchors
from crisis_audit.textprep import fold_accents, prepare

ROOT = Path(__file__).resolve().parent.parent


def test_anchors_come_from_required_tokens_only() -> None:
    pattern = [
        {"LOWER": {"NOT_IN": ["table"]}},
        {"LOWER": "de"},
        {"OP": "?", "NORM": {"IN": ["la", "le"]}},
        {"NORM": {"REGEX": "^cuisines?$"}},
        {"NORM": {"REGEX": "^cuis"}},
    ]
    assert _token_anchors(pattern) == [frozenset({"de"}), frozenset({"cuisine", "cuisines"})]


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return build_engine()


def _texts(lang: str, engine) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [
        example.text
        for rule in engine.ruleset.rules
        for example in (*rule.fail_examples, *rule.pass_examples)
        if (example.lang or "fr") == lang
    ]
    for path in sorted((ROOT / "samples").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("lang") == lang:
                texts.append(row["text"])
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gated_matchers_find_exactly_what_ungated_ones_find(engine, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Token patterns called only when their words are present give the same hits as
    calling every matcher; the array-based folding gives each token's own folded form."""
    entry = engine.language(lang)
    compiled, nlp = entry.compiled, entry.nlp
    texts = [prepare(t).text for t in _texts(lang, engine)]
    assert len(texts) > 300
    always = copy.copy(compiled)
    always.token_matchers = [(code, matcher, [[]]) for code, matcher, _ in compiled.token_matchers]
    skipped = 0
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        tokens = compiled.fold(doc)
        assert tokens.norms == [fold_accents(t.text) for t in doc]
        assert [t.norm_ for t in doc] == tokens.norms  # what the matchers compare
        assert tokens.lemmas == [t.lemma_ for t in doc]
        gated = sorted(
            (h.code, h.start, h.end, h.char_span or ()) for h in compiled.run(doc, text, tokens)
        )
        ungated = sorted(
            (h.code, h.start, h.end, h.char_span or ()) for h in always.run(doc, text, tokens)
        )
        assert gated == ungated, text
        words = set(tokens.norms)
        skipped += sum(
            not any(all(not words.isdisjoint(a) for a in need) for need in anchors)
            for _, _, anchors in compiled.token_matchers
        )
    if compiled.token_matchers:  # English packs have none today
        assert skipped > len(texts)  # the gate does skip most calls
