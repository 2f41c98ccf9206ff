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
    always.token_matchers = [
        (code, matcher, [[]], None) for code, matcher, _, _ in compiled.token_matchers
    ]
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
            for _, _, anchors, _ in compiled.token_matchers
        )
    if compiled.token_matchers:  # English packs have none today
        assert skipped > len(texts)  # the gate does skip most calls


@pytest.mark.parametrize("lang, fast", [("en", False), ("fr", True)])
def test_folding_with_lookup_lemmas_equals_the_lemmatizer_component(lang: str, fast: bool) -> None:
    """Without a model (English, --fast), folding also lemmatises, in the same pass, and the
    pipeline skips its lemmatizer: tokens, lemmas, layout and the Doc's NORM (and LEMMA when
    a token pattern reads it) are those of the component followed by plain folding."""
    from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, NORM

    from crisis_audit.matching import NormFolder

    probe = build_engine(fast=fast)
    entry = probe.language(lang)
    assert entry.compiled.fold.lemmatizer is not None  # the pipeline's component is skipped
    texts = [prepare(t).text for t in _texts(lang, probe)]
    plain = NormFolder()
    for text, fused_doc in zip(texts, entry.docs(texts, 64), strict=True):
        fused = entry.compiled.fold(fused_doc)
        doc = entry.nlp(text)  # tokenizer, then the lemmatizer component
        reference = plain(doc)
        assert (fused.norms, fused.lemmas) == (reference.norms, reference.lemmas), text
        layout = doc.to_array([IDX, LENGTH, IS_PUNCT]).tolist()
        assert fused.starts == [idx for idx, _, _ in layout]
        assert fused.ends == [idx + length for idx, length, _ in layout]
        assert fused.punct == [bool(punct) for _, _, punct in layout]
        attrs = [NORM, LEMMA] if entry.compiled.fold.write_lemmas else [NORM]
        assert fused_doc.to_array(attrs).tolist() == doc.to_array(attrs).tolist(), text


def _spacy_pattern(elements: list[tuple[str, str]]) -> list[dict]:  # type: ignore[type-arg]
    """The spaCy token pattern a SequenceMatcher pattern stands for (module docstring)."""
    import re

    tokens: list[dict] = []  # type: ignore[type-arg]
    for kind, value in elements:
        if kind == "gap":
            tokens.append({"OP": "{0,2}"})
        elif kind == "norm":
            tokens.append({"NORM": value})
        elif kind == "prefix":
            tokens.append({"NORM": {"REGEX": "^" + re.escape(value)}})
        elif kind == "lemma":
            tokens.append({"LEMMA": value})
        else:
            tokens.append({"LEMMA": {"IN": value.split("|")}})
    return tokens


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sequence_matcher_finds_what_spacy_matcher_finds(engine, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Wildcard terms and lemma phrases, indexed and prechecked on word sets, give exactly
    the (rule, start, end) matches of the equivalent spaCy patterns."""
    from spacy.matcher import Matcher

    from crisis_audit.matching import TermTokenizer, _lemma_elements, _wildcard_elements

    entry = engine.language(lang)
    tokenize = TermTokenizer(entry.nlp)
    matcher = Matcher(entry.nlp.vocab)
    for rule in engine.ruleset.rules:
        spec = rule.match.get(lang) or {}
        patterns = [_wildcard_elements(t, tokenize) for t in spec.get("terms", []) if "*" in t]
        patterns += [_lemma_elements(p, tokenize) for p in spec.get("lemmas", [])]
        if patterns:
            matcher.add(rule.code, [_spacy_pattern(p) for p in patterns])
    texts = [prepare(t).text for t in _texts(lang, engine)][::3]
    found = 0
    for doc in entry.docs(texts, 64):
        tokens = entry.compiled.fold(doc)
        for token, lemma in zip(doc, tokens.lemmas, strict=True):
            token.lemma_ = lemma  # the spaCy patterns read them from the Doc
        ours = set(entry.compiled.sequences(tokens.norms, tokens.lemmas))
        strings = doc.vocab.strings
        theirs = {(strings[m], start, end) for m, start, end in matcher(doc)}
        assert ours == theirs, doc.text
        found += len(ours)
    assert found > 100
