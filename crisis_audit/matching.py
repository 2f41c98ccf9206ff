"""Compile the rules of one language into spaCy matchers, once, and run them on a Doc.

Checker kinds (one compiler each):

- ``terms``: phrases matched on the folded lowercase form of each token (accents and case
  ignored, so "securite" finds "sécurité"); a word ending in ``*`` matches any word with that
  prefix. Plain phrases go into one PhraseMatcher, prefix phrases into the Matcher.
- ``lemmas``: phrases of lemmas (``rester ouvert``); a word ``a|b`` accepts either lemma, a
  word ``*`` skips up to two tokens.
- ``tokens``: raw spaCy token patterns, validated by spaCy.
- ``regex``: Python regular expressions over the normalised text (lowercase, hashtags
  expanded), for emoji, codes and URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .rulepack import Rule, RuleError
from .textprep import fold_accents

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

TAG_ATTRS = {"LEMMA", "POS", "TAG", "MORPH", "DEP"}
GAP = {"OP": "{0,2}"}


def rule_needs_tags(rule: Rule, lang: str) -> bool:
    """Whether the rule reads lemmas or POS (which need the statistical pipeline)."""
    spec = rule.match.get(lang, {})
    if spec.get("lemmas"):
        return True
    for pattern in spec.get("tokens", []):
        for token in pattern:
            if any(key.upper() in TAG_ATTRS for key in token):
                return True
    return False


@dataclass
class Hit:
    """A raw match: a rule and a token span (or a char span for regex hits)."""

    code: str
    start: int
    end: int
    char_span: tuple[int, int] | None = None


@dataclass
class CompiledRules:
    """The matchers of one language, built from every rule that has patterns for it."""

    lang: str
    phrase_matcher: Any = None
    matcher: Any = None
    regexes: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    def run(self, doc: Doc, analysed_text: str) -> list[Hit]:
        """All hits in a Doc whose token norms are already folded."""
        hits: list[Hit] = []
        strings = doc.vocab.strings
        for matcher in (self.phrase_matcher, self.matcher):
            if matcher is None:
                continue
            for match_id, start, end in matcher(doc):
                hits.append(Hit(strings[match_id], start, end))
        for code, regex in self.regexes:
            for m in regex.finditer(analysed_text):
                if m.end() > m.start():
                    hits.append(Hit(code, 0, 0, (m.start(), m.end())))
        return hits


def fold_doc_norms(doc: Doc) -> Doc:
    """Set each token's NORM to its folded lowercase text (after the model has run,
    since tok2vec reads NORM as a feature)."""
    for token in doc:
        token.norm_ = fold_accents(token.text)
    return doc


def compile_rules(rules: list[Rule], lang: str, nlp: Language) -> CompiledRules:
    """Build the matchers for `lang`; a bad token pattern raises `RuleError` naming the rule."""
    from spacy.matcher import Matcher, PhraseMatcher

    compiled = CompiledRules(lang=lang)
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    matcher = Matcher(nlp.vocab, validate=True)
    has_phrases = has_patterns = False
    for rule in rules:
        spec = rule.match.get(lang)
        if not spec:
            continue
        phrases, patterns = [], []
        for term in spec.get("terms", []):
            if "*" in term:
                patterns.append(_prefix_pattern(term, nlp))
            else:
                phrases.append(fold_doc_norms(nlp.make_doc(fold_accents(term.strip()))))
        for phrase in spec.get("lemmas", []):
            patterns.append(_lemma_pattern(phrase, nlp))
        patterns.extend(spec.get("tokens", []))
        if phrases:
            phrase_matcher.add(rule.code, phrases)
            has_phrases = True
        if patterns:
            try:
                matcher.add(rule.code, patterns)
            except ValueError as exc:
                first = str(exc).strip().splitlines()
                raise RuleError(
                    f"{rule.source}: match.{lang}: invalid token pattern in {rule.code}: "
                    f"{' '.join(first[-3:])}"
                ) from None
            has_patterns = True
        for expr in spec.get("regex", []):
            compiled.regexes.append((rule.code, re.compile(expr, re.IGNORECASE | re.UNICODE)))
    compiled.phrase_matcher = phrase_matcher if has_phrases else None
    compiled.matcher = matcher if has_patterns else None
    return compiled


def _prefix_pattern(term: str, nlp: Language) -> list[dict[str, Any]]:
    """A term with ``*`` wildcards as a token pattern; each word is tokenised like the posts
    ("we'll" is two tokens), and a trailing ``*`` makes its last token a prefix."""
    pattern: list[dict[str, Any]] = []
    for word in fold_accents(term).split():
        if word == "*":
            pattern.append(dict(GAP))
            continue
        is_prefix = word.endswith("*")
        tokens = [t.text for t in nlp.make_doc(word.rstrip("*"))] or [word.rstrip("*")]
        for i, token in enumerate(tokens):
            if is_prefix and i == len(tokens) - 1:
                pattern.append({"NORM": {"REGEX": "^" + re.escape(token)}})
            else:
                pattern.append({"NORM": token})
    return pattern


def _lemma_pattern(phrase: str, nlp: Language) -> list[dict[str, Any]]:
    """Lemma phrase → token pattern; a hyphenated lemma ("week-end") becomes the tokens
    the tokenizer makes of it."""
    pattern: list[dict[str, Any]] = []
    for word in phrase.split():
        if word == "*":
            pattern.append(dict(GAP))
        elif "|" in word:
            pattern.append({"LEMMA": {"IN": word.split("|")}})
        else:
            pattern.extend({"LEMMA": t.text} for t in nlp.make_doc(word))
    return pattern
