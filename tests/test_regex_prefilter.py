"""The regex prefilter only skips a regex that cannot match: these tests hold it to that."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from crisis_audit.regex_prefilter import (
    SAFE_CHARS,
    LiteralFinder,
    first_char_guard,
    fold_text,
    required_clauses,
)
from crisis_audit.rulepack import load_rules
from crisis_audit.textprep import _normalise_char, prepare

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b\d+ (coloris|teintes)\b", {" coloris", " teintes"}),
        (
            r"\bravie? de (vous )?voir",
            {"ravi de voir", "ravie de voir", "ravi de vous voir", "ravie de vous voir"},
        ),
        (r"\w+ez\b", {"ez"}),
        (r"\bfi[èe]re", {"fière", "fiere"}),
        (r"COMMANDEZ", {"commandez"}),
        (r"\b(\w+ ){1,3}offert", {"offert"}),
        (r"€\s?\d+", {"€"}),
    ],
)
def test_literals_every_match_needs(pattern: str, expected: set[str]) -> None:
    clauses = required_clauses(pattern)
    assert clauses and clauses[0] == expected


def test_every_fixed_part_is_a_clause_the_most_selective_first() -> None:
    clauses = required_clauses(r"\b(?:our|the) [\w' -]{0,30}\b(?:bundle|box)\b")
    assert clauses == [{"our ", "the "}, {"bundle", "box"}]  # longer shortest literal first
    assert required_clauses(r"\w+\b") is None


@pytest.mark.parametrize(
    "pattern",
    [r"\w+\b", r"(?:a|b)?", r"(?-i:Paris)", r"[^\W\d_]{3,}", r"(\w)\1", r"(?:vite|\d+)"],
)
def test_unknown_when_no_literal_is_certain(pattern: str) -> None:
    assert required_clauses(pattern) is None


def _scanning(finder: LiteralFinder) -> LiteralFinder:
    """The same finder past its first texts: it scans with the Aho–Corasick automaton."""
    finder.EAGER_TEXTS = 0  # type: ignore[misc]
    return finder


@pytest.mark.parametrize("make", [LiteralFinder, lambda w: _scanning(LiteralFinder(w))])
def test_finder_reports_overlapping_and_prefix_literals(make) -> None:  # type: ignore[no-untyped-def]
    finder = make(["to", "towards", "wards", "de", "des "])
    assert finder("go towards des amis") == {"to", "towards", "wards", "des ", "de"}
    assert finder("nothing here") == set()


def _analysis_chars() -> str:
    """Every character the analysis text can hold (textprep keeps a character whose
    lowercase is longer than one, like 'İ'; everything else is lowercased)."""
    chars = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if _normalise_char(char) == char:
            chars.append(char)
    return "".join(chars)


def _rule_literal_chars() -> set[str]:
    chars: set[str] = set()
    for rule in load_rules().rules:
        for spec in rule.match.values():
            for pattern in spec.get("regex", []):
                for clause in required_clauses(pattern) or ():
                    chars.update("".join(clause))
    return chars


def test_case_insensitive_partners_fold_to_the_literal() -> None:
    """Exhaustive over all code points: whatever IGNORECASE lets a literal character match
    in the analysis text folds to that character, so the substring test cannot miss."""
    alphabet = _analysis_chars()
    checked = {c for c in SAFE_CHARS} | _rule_literal_chars()
    for char in sorted(checked):
        literal = fold_text(char.lower() if len(char.lower()) == 1 else char)
        for partner in re.findall(re.escape(char), alphabet, re.IGNORECASE):
            assert fold_text(partner) == literal, (char, partner)


def _corpus() -> list[str]:
    texts = []
    for path in [*sorted((ROOT / "samples").glob("*.jsonl")), SHARED / "eval" / "real_dev.jsonl"]:
        if path.exists():
            texts += [
                json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()
            ]
    for rule in load_rules().rules:
        texts += [example.text for example in (*rule.fail_examples, *rule.pass_examples)]
    return texts


def test_no_rule_regex_match_is_ever_skipped() -> None:
    """On every sample, real post and rule example: a regex that matches always has one
    literal of each of its clauses present, the two ways of finding literals agree, and the
    prefilter does skip most regexes."""
    regexes = [
        (re.compile(p, re.IGNORECASE | re.UNICODE), required_clauses(p))
        for rule in load_rules().rules
        for spec in rule.match.values()
        for p in spec.get("regex", [])
    ]
    literals = [lit for _, clauses in regexes for clause in clauses or () for lit in clause]
    finder, scanner = LiteralFinder(literals), _scanning(LiteralFinder(literals))
    skipped = ran = 0
    for text in _corpus():
        analysed = prepare(text).text
        present = finder(fold_text(analysed))
        assert scanner(fold_text(analysed)) == present
        for regex, clauses in regexes:
            runs = clauses is None or all(not present.isdisjoint(c) for c in clauses)
            if not runs:
                assert regex.search(analysed) is None, (regex.pattern, text)
            skipped += not runs
            ran += runs
    assert skipped > 10 * ran


@pytest.mark.parametrize(
    ("pattern", "guard"),
    [
        (r"\b(?:covid|virus)\b", "(?=[cv])"),
        (r"(?<!\d)0[1-9]\d{8}", "(?=[0])"),
        (r"\b(?:our )?box", "(?=[bo])"),  # an optional start adds what follows
        (r"covid", ""),  # starts with a plain character: re looks for it already
        (r"\b\w+ez\b", ""),  # \w: too many first characters
        (r"\b(?:a|b)?", ""),  # may match the empty string
        (r"(?i)\bcovid", ""),  # nothing may come before global flags
    ],
)
def test_first_char_guard(pattern: str, guard: str) -> None:
    assert first_char_guard(pattern) == guard


def test_guarded_rule_regexes_match_exactly_as_before() -> None:
    """Every rule regex with its first-character lookahead finds the same matches on every
    sample, real post and rule example, and each guard character accepts every character
    IGNORECASE lets it stand for, over all code points."""
    from crisis_audit.rulepack import REGEX_FLAGS

    patterns = sorted(
        {
            p
            for rule in load_rules().rules
            for spec in rule.match.values()
            for p in spec.get("regex", [])
        }
    )
    guarded = [(p, first_char_guard(p, REGEX_FLAGS)) for p in patterns]
    guarded = [(p, g) for p, g in guarded if g]
    assert len(guarded) > len(patterns) // 2
    alphabet = _analysis_chars()
    for char in {ch for _, g in guarded for ch in re.findall(r"\\?(.)", g[4:-2])}:
        partners = re.findall(re.escape(char), alphabet, REGEX_FLAGS)
        assert all(re.match(f"[{re.escape(char)}]", p, REGEX_FLAGS) for p in partners), char
    # A guard only adds a condition, so a text the pattern cannot match (its prefilter
    # clauses are missing, checked by the test above) cannot change: the others are run.
    clauses = {p: required_clauses(p, REGEX_FLAGS) or [] for p, _ in guarded}
    finder = LiteralFinder(lit for cs in clauses.values() for clause in cs for lit in clause)
    compared = 0
    for text in (prepare(t).text for t in _corpus()):
        present = finder(fold_text(text))
        for pattern, guard in guarded:
            if any(present.isdisjoint(clause) for clause in clauses[pattern]):
                continue
            plain = re.compile(pattern, REGEX_FLAGS)
            fast = re.compile(guard + pattern, REGEX_FLAGS)
            expected = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == expected, (pattern, text)
            compared += bool(expected)
    assert compared > 1000
