"""A faster cold start for spaCy's French tokenizer, with identical token boundaries.

Importing ``spacy.lang.fr`` compiles one ~1.45 MB regular expression (``TOKEN_MATCH``): an
alternation of ~130 patterns that each repeat spaCy's huge Unicode letter classes. That one
compile costs seconds on every start, before a single post is read.

The patterns come from four templates that differ only in a short variable part, so the
alternation can be *factored*: ``^P(?:m1|m2|…)S`` accepts exactly the strings that
``^Pm1S|^Pm2S|…`` accepts (concatenation distributes over alternation), while the long
letter classes of P and S appear once per template instead of once per pattern. spaCy only
uses the truth of ``token_match(string)``, so the factored regex is a faithful replacement.

`install()` runs spaCy's own module source (so the exception table is spaCy's, byte for
byte) with the final compile swapped for the factored one, and registers the module before
spaCy imports it. If spaCy's source ever changes shape, nothing is patched and spaCy loads
as usual. ``tests/test_fr_tokenizer.py`` proves identical tokenisation on a large corpus.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

MODULE = "spacy.lang.fr.tokenizer_exceptions"
_COMPILE_CALL = "TOKEN_MATCH = re.compile("
_BIG_CLASS = 40  # a character class longer than this is one of spaCy's letter classes
_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]", re.DOTALL)


def _atoms(pattern: str) -> list[str]:
    """Split a regex into atoms (char class, group, escape, char), quantifiers attached."""
    atoms: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        start = i
        c = pattern[i]
        if c == "\\":
            i += 2
        elif c == "[":
            i = _class_end(pattern, i)
        elif c == "(":
            depth = 0
            while i < n:
                if pattern[i] == "\\":
                    i += 2
                    continue
                if pattern[i] == "[":
                    j = _class_end(pattern, i)
                    i = j
                    continue
                if pattern[i] == "(":
                    depth += 1
                elif pattern[i] == ")":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
        else:
            i += 1
        while i < n and pattern[i] in "*+?{":
            if pattern[i] == "{":
                close = pattern.find("}", i)
                if close < 0:
                    break
                i = close + 1
            else:
                i += 1
        atoms.append(pattern[start:i])
    return atoms


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class that starts at `i`."""
    m = _CLASS.match(pattern, i)
    return m.end() if m else len(pattern)


def factor_alternatives(patterns: list[str]) -> str:
    """One regex equivalent to ``|``-joining `patterns`, with long classes written once.

    Patterns are grouped by the sequence of their long character classes; within a group
    the longest common prefix and suffix (in atoms) are written once around an alternation
    of the middles.
    """
    groups: dict[tuple[str, ...], list[list[str]]] = {}
    for pattern in patterns:
        atoms = _atoms(pattern)
        key = tuple(a for a in atoms if a.startswith("[") and len(a) > _BIG_CLASS)
        groups.setdefault(key, []).append(atoms)
    parts = []
    for members in groups.values():
        if len(members) == 1:
            parts.append("".join(members[0]))
            continue
        prefix = _common_prefix(members)
        rest = [m[prefix:] for m in members]
        suffix = _common_prefix([list(reversed(m)) for m in rest])
        middles = ["".join(m[: len(m) - suffix]) for m in rest]
        head = "".join(members[0][:prefix])
        tail = "".join(rest[0][len(rest[0]) - suffix :]) if suffix else ""
        parts.append(head + "(?:" + "|".join(middles) + ")" + tail)
    return "|".join(f"(?:{p})" for p in parts)


def _common_prefix(seqs: list[list[str]]) -> int:
    n = min(len(s) for s in seqs)
    k = 0
    while k < n and all(s[k] == seqs[0][k] for s in seqs):
        k += 1
    return k


def stock_pattern() -> str | None:
    """The pattern spaCy would have compiled (rebuilt as text, not compiled), or None when
    the fast module is not installed. Pipelines serialise this very string."""
    module = sys.modules.get(MODULE)
    patterns = getattr(module, "_regular_exp", None)
    if patterns is None or "_crisis_audit_compile" not in vars(module):
        return None
    return "(?iu)" + "|".join(f"(?:{m})" for m in patterns)


def fast_token_match() -> Callable[[str], Any]:
    """The factored ``token_match`` (call after `install` returned True)."""
    match: Callable[[str], Any] = sys.modules[MODULE].TOKEN_MATCH
    return match


def _load_from_file(name: str, path: Path, patch: Callable[[str], str] | None = None) -> Any:
    """Execute a spaCy module from its file under its real name, without importing its
    parent package (whose ``__init__`` would import the slow module first)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    module = importlib.util.module_from_spec(spec)
    source = path.read_text(encoding="utf-8")
    if patch is not None:
        source = patch(source)
    sys.modules[name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def install() -> bool:
    """Register the fast module for spaCy's French tokenizer exceptions; True if done."""
    if MODULE in sys.modules or "spacy.lang.fr" in sys.modules:
        return False
    spacy_spec = importlib.util.find_spec("spacy")
    if spacy_spec is None or not spacy_spec.submodule_search_locations:
        return False
    folder = Path(next(iter(spacy_spec.submodule_search_locations))) / "lang" / "fr"
    source_path = folder / "tokenizer_exceptions.py"
    try:
        source = source_path.read_text(encoding="utf-8")
    except OSError:
        return False
    if source.count(_COMPILE_CALL) != 1 or "_regular_exp" not in source:
        return False
    state: dict[str, Any] = {}

    def compile_factored(_pattern: str) -> re.Pattern[str]:
        return re.compile("(?iu)" + factor_alternatives(list(state["module"]._regular_exp)))

    def patch(text: str) -> str:
        return text.replace(_COMPILE_CALL, "TOKEN_MATCH = _crisis_audit_compile(")

    try:
        if "spacy.lang.fr.punctuation" not in sys.modules:
            _load_from_file("spacy.lang.fr.punctuation", folder / "punctuation.py")
        spec = importlib.util.spec_from_file_location(MODULE, source_path)
        if spec is None or spec.loader is None:
            return False
        module = importlib.util.module_from_spec(spec)
        state["module"] = module
        module.__dict__["_crisis_audit_compile"] = compile_factored
        sys.modules[MODULE] = module
        exec(compile(patch(source), str(source_path), "exec"), module.__dict__)
    except Exception:  # pragma: no cover - spaCy changed: fall back to the stock modules
        sys.modules.pop(MODULE, None)
        return False
    return True
