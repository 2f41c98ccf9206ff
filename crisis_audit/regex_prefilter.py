"""Skip a rule regex cheaply when the post cannot contain a match.

Running 200 rule regexes over every post cost more than the whole spaCy tokenizer: most of
them start with ``\\b`` or a group, which defeats the ``re`` engine's own literal search, so
each one scans the text position by position. Yet almost every rule regex needs some fixed
words: ``\\b\\d+ (coloris|teintes)\\b`` cannot match a post without " coloris" or " teintes".

`required_clauses` reads the parsed regex and returns such sets of strings, one per fixed
part (every match contains at least one string of each set), or None when it cannot
tell. The literals present in a post are
found in one scan (`LiteralFinder`), and a regex runs only when every one of its sets has a
literal there. It is exact by construction: a regex is only skipped when it provably has no
match, so results never change (the golden test and `tests/test_regex_prefilter.py` hold
us to it).

Case: rule regexes run with IGNORECASE over the lowercased analysis text. Literals are kept
only for characters whose case-insensitive partners all fold to one form under `FOLD`
(checked for every code point in the tests); any other character ends a literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, NamedTuple

# Characters a literal may contain besides uncased symbols:
# ASCII and the Latin letters of French, Spanish, German.
SAFE_CHARS = frozenset(
    [chr(i) for i in range(0x20, 0x7F)]
    + list("àâäáãåæçéèêëíìîïñóòôöõøœùúûüÿß")
    + list("ÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÙÚÛÜŸ")
    + list("€£¥«»°–—…·•")
)
# Symbols from the arrows block on (emoji included) have no case: safe when uncased.
_UNCASED_FROM = 0x2190
# Characters the analysis text may hold that IGNORECASE matches against a safe character
# without being its lowercase form (found by the exhaustive test over all code points).
FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "K": "k", "Å": "å", "ẞ": "ß"})

_MAX_PRODUCT = 64  # alternatives kept when concatenating finite pieces
_ZERO_WIDTH = {c.AT, c.ASSERT, c.ASSERT_NOT}
_ATOMIC_GROUP = getattr(c, "ATOMIC_GROUP", None)
_REPEATS = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

Literals = frozenset[str]


_FOLDED = frozenset(chr(code) for code in FOLD)


def fold_text(text: str) -> str:
    """The form of the analysis text that literals are looked up in (the text itself when it
    holds none of the few characters to fold: checking is ten times cheaper than folding)."""
    return text if _FOLDED.isdisjoint(text) else text.translate(FOLD)


def _fold_char(code: int) -> str | None:
    char = chr(code)
    if char not in SAFE_CHARS:
        uncased = code >= _UNCASED_FROM and char.lower() == char == char.upper()
        return char if uncased else None
    lowered = char.lower()
    return (lowered if len(lowered) == 1 else char).translate(FOLD)


def required_clauses(pattern: str, flags: int = re.IGNORECASE) -> list[Literals] | None:
    """Sets of strings such that every match of `pattern` contains one string of each set
    (one set per fixed part of the pattern: ``\\b(?:our|the) \\w+ (?:box|kit)`` needs one
    of "our ", "the " and one of " box", " kit"), the most selective first; None if unknown.
    The prefilter indexes a regex by the first set and checks the others, so a regex runs
    only when every part it needs is in the post."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    _memo.clear()
    try:
        found = _candidates(list(parsed))
    finally:
        _memo.clear()
    if not found:
        return None
    ranked = sorted(found, key=_selectivity, reverse=True)
    return [frozenset(clause) for clause in ranked]


_MAX_FIRST = 48  # first characters a guard may list
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def first_char_guard(pattern: str, flags: int = re.IGNORECASE) -> str:
    """A lookahead to put before `pattern`: ``(?=[cvq])`` when every match starts with one of
    a few characters, else "" (also when ``re`` needs no help: the pattern then starts with
    a plain character or class, which ``re`` already looks for before trying a position).

    Most rule regexes start with ``\b`` or a group, so ``re`` tries the whole pattern at
    every position of the post; the guard turns most positions into one character test.
    Exact: a guarded pattern matches at a position exactly when the pattern does (the guard
    only names characters every match starts with, and never consumes or captures), and a
    pattern that can match the empty string gets no guard."""
    if _GLOBAL_FLAGS.match(pattern):  # nothing may come before "(?i)" and the like
        return ""
    try:
        items = list(sre_parse.parse(pattern, flags))
    except re.error:
        return ""
    if not items or items[0][0] in (c.LITERAL, c.IN):
        return ""
    chars, nullable = _first_of(items)
    if chars is None or nullable or not chars or len(chars) > _MAX_FIRST:
        return ""
    return "(?=[" + "".join(re.escape(chr(code)) for code in sorted(chars)) + "])"


class RegexFacts(NamedTuple):
    """What the engine works out once per rule regex; the rule set keeps it in the pack
    cache with the packs."""

    clauses: list[Literals] | None  # `required_clauses`: None when no literal is required
    guard: str  # `first_char_guard`


def regex_facts(pattern: str, flags: int = re.IGNORECASE) -> RegexFacts:
    """Both analyses of `pattern`, as the rule set stores them."""
    return RegexFacts(required_clauses(pattern, flags), first_char_guard(pattern, flags))


def _first_of(items: Iterable[Any]) -> tuple[set[int] | None, bool]:
    """The characters a match of the sequence can start with (None: unknown), and whether
    it can match the empty string."""
    chars: set[int] = set()
    for op, av in items:
        first, nullable = _first_node(op, av)
        if first is None:
            return None, False
        chars |= first
        if not nullable:
            return chars, False
    return chars, True


def _first_node(op: Any, av: Any) -> tuple[set[int] | None, bool]:
    if op in _ZERO_WIDTH:
        return set(), True
    if op is c.LITERAL:
        return {av}, False
    if op is c.IN:
        if any(member_op is not c.LITERAL for member_op, _ in av):
            return None, False
        return {member_av for _, member_av in av}, False
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return (None, False) if add_flags or del_flags else _first_of(sub)
    if op is _ATOMIC_GROUP:
        return _first_of(av)
    if op is c.BRANCH:
        union: set[int] = set()
        any_nullable = False
        for branch in av[1]:
            first, nullable = _first_of(branch)
            if first is None:
                return None, False
            union |= first
            any_nullable = any_nullable or nullable
        return union, any_nullable
    if op in _REPEATS:
        low, _high, sub = av
        first, nullable = _first_of(sub)
        return first, nullable or low == 0
    return None, False


def _selectivity(literals: set[str]) -> tuple[int, int]:
    """Longer shortest literal first, then fewer literals."""
    return (min(map(len, literals)), -len(literals))


def whole_word_language(pattern: str) -> set[str] | None:
    """Every (lowercased) string an anchored ``^...$`` pattern accepts, if few; else None.
    Used for spaCy token patterns whose ``REGEX`` names a closed list of words."""
    try:
        items = list(sre_parse.parse(pattern, 0))
    except re.error:
        return None
    starts = {c.AT_BEGINNING, c.AT_BEGINNING_STRING}
    ends = {c.AT_END, c.AT_END_STRING}
    if len(items) < 2 or items[0] != (c.AT, items[0][1]) or items[0][1] not in starts:
        return None
    if items[-1][0] is not c.AT or items[-1][1] not in ends:
        return None
    _memo.clear()
    try:
        return _finite(items[1:-1], limit=1024)
    finally:
        _memo.clear()


def _finite(items: Iterable[Any], limit: int = _MAX_PRODUCT) -> set[str] | None:
    """Every string a sequence can match, when that is a small finite set."""
    product = {""}
    for op, av in items:
        options = _finite_item(op, av)
        if options is None or len(product) * len(options) > limit:
            return None
        product = {a + b for a in product for b in options}
    return product


# Finite sets of the parse-tree nodes of the pattern being analysed, by node identity
# (`_required` visits a node once per enclosing level); cleared around each analysis.
_memo: dict[tuple[Any, int], set[str] | None] = {}


def _finite_item(op: Any, av: Any) -> set[str] | None:
    key = (op, id(av))
    if key not in _memo:
        _memo[key] = _finite_node(op, av)
    return _memo[key]


def _finite_node(op: Any, av: Any) -> set[str] | None:
    if op is c.LITERAL:
        char = _fold_char(av)
        return {char} if char is not None else None
    if op in _ZERO_WIDTH:
        return {""}
    if op is c.IN:
        chars = set()
        for member_op, member_av in av:
            if member_op is not c.LITERAL:
                return None
            char = _fold_char(member_av)
            if char is None:
                return None
            chars.add(char)
        uncased = all(ord(ch) >= _UNCASED_FROM for ch in chars)  # emoji lists stay literals
        return chars if len(chars) <= (_MAX_PRODUCT if uncased else 8) else None
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _finite(sub)
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            options = _finite(branch)
            if options is None:
                return None
            union |= options
        return union if len(union) <= 4 * _MAX_PRODUCT else None
    if op in _REPEATS:
        low, high, sub = av
        if high > 2:
            return None
        options = _finite(sub)
        if options is None:
            return None
        result = {""} if low == 0 else set()
        if low <= 1 <= high:
            result |= options
        if high == 2:
            result |= {a + b for a in options for b in options}
        return result if len(result) <= 4 * _MAX_PRODUCT else None
    return None


def _required(items: list[Any]) -> set[str] | None:
    """A set of strings one of which every match of the sequence contains."""
    candidates = _candidates(items)
    return max(candidates, key=_selectivity) if candidates else None


def _candidates(items: list[Any]) -> list[set[str]]:
    """Every set of strings of the sequence one of which each match contains."""
    candidates: list[set[str]] = []
    product = {""}

    def close_run() -> None:
        nonlocal product
        if "" not in product:
            candidates.append(product)
        product = {""}

    for op, av in items:
        options = _finite_item(op, av)
        if options is not None:
            if len(product) * len(options) > _MAX_PRODUCT:
                close_run()
            product = {a + b for a in product for b in options}
            continue
        close_run()
        inner = _required_item(op, av)
        if inner:
            candidates.append(inner)
    close_run()
    return candidates


def _required_item(op: Any, av: Any) -> set[str] | None:
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _required(list(sub))
    if op is _ATOMIC_GROUP:
        return _required(list(av))
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            inner = _required(list(branch))
            if not inner:
                return None
            union |= inner
        return union
    if op in _REPEATS:
        low, _high, sub = av
        return _required(list(sub)) if low >= 1 else None
    return None


class LiteralFinder:
    """Which of many literals occur in a text, in one C-speed scan.

    An Aho–Corasick automaton (pyahocorasick) reports every occurrence of every literal,
    nested and overlapping ones included, in one pass over the text: about 12 µs a post
    where a trie-shaped regex tried at every position took 50–120 µs. Building it costs
    ~17 ms per language, more than checking a few texts literal by literal, so the first
    `EAGER_TEXTS` texts (a draft, a short calendar) are checked the plain way."""

    EAGER_TEXTS = 32

    def __init__(self, literals: Iterable[str]) -> None:
        self._words = sorted(set(literals))
        self._automaton: Any = None
        self._calls = 0

    def __call__(self, folded_text: str) -> set[str]:
        """The literals present in `folded_text` (see `fold_text`)."""
        automaton = self._automaton
        if automaton is None:
            self._calls += 1
            if self._calls <= self.EAGER_TEXTS or not self._words:
                return {w for w in self._words if w in folded_text}
            automaton = self._automaton = _automaton(self._words)
        return {word for _end, word in automaton.iter(folded_text)}


def _automaton(words: list[str]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton
