"""Compiled regular expressions kept between runs (`packcache`), for a faster start.

``re`` compiles a pattern in Python: it parses the pattern, then generates the code its C
engine (``_sre``) runs. The tokenizers' prefix, suffix and infix expressions (up to 18,000
characters each), the factored French ``token_match`` and the few hundred rule regexes
cost 0.15–0.3 s of every run, for code that only depends on the pattern, its flags and the
Python version. The first run keeps that code; later runs hand it straight to ``_sre``,
as ``re`` itself does after generating it.

A restored pattern is the same object ``re.compile`` returns: a pattern is kept only
after checking it equals a fresh ``re.compile`` of the same text (pattern equality in
CPython compares the flags and the compiled code), and anything unexpected (another Python,
a damaged entry, internals that moved) falls back to ``re.compile``.
``tests/test_regex_store.py`` checks both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import packcache

# What `_sre.compile` takes after the pattern: flags, code, groups, group names both ways.
_Code = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
MAX_ENTRIES = 5_000  # edited rule packs leave old patterns behind: start afresh past this
_re_compile = re.compile  # the real one, also while `RegexStore.serving_re` stands in for it


def _compiled_code(pattern: str, flags: int) -> _Code | None:
    """What ``re.compile(pattern, flags)`` hands to ``_sre``, or None if that cannot be
    reproduced here (the check against ``re.compile`` is the caller's)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]
        state = parsed.state
        names = dict(state.groupdict)
        by_index: list[str | None] = [None] * state.groups
        for name, index in names.items():
            by_index[index] = name
        return int(flags | state.flags), code, state.groups - 1, names, tuple(by_index)
    except Exception:  # internals of another Python version: compile the usual way
        return None


def _restore(pattern: str, code: _Code) -> re.Pattern[str] | None:
    try:
        import _sre

        restored: re.Pattern[str] = _sre.compile(pattern, *code)
    except Exception:
        return None
    return restored


class RegexStore:
    """Patterns compiled once per machine: `compile` answers from the stored code when it
    has it, and `save` writes back what this run added."""

    def __init__(self, key: str) -> None:
        self.key = key
        # with the pack cache off, nothing could be kept: compile as usual, keep nothing
        self.enabled = packcache.cache_folder() is not None
        stored = packcache.load(key) if self.enabled else None
        self._codes: dict[tuple[str, int], _Code] = stored if isinstance(stored, dict) else {}
        self.grew = False

    def compile(self, pattern: Any, flags: Any = 0) -> re.Pattern[Any]:
        """``re.compile``, from the stored code when this pattern was seen before."""
        if not isinstance(pattern, str) or not self.enabled:
            return _re_compile(pattern, flags)  # bytes, or a pattern already compiled
        key = (pattern, int(flags))
        code = self._codes.get(key)
        if code is not None:
            restored = _restore(pattern, code)
            if restored is not None:
                return restored
            del self._codes[key]  # damaged: replaced below
        compiled = _re_compile(pattern, flags)
        self.remember(pattern, flags, compiled)
        return compiled

    def remember(self, pattern: str, flags: int, compiled: re.Pattern[str] | None = None) -> None:
        """Keep `pattern`'s code for the next run (compiled now if not given)."""
        key = (pattern, int(flags))
        if key in self._codes or not self.enabled:
            return
        compiled = compiled if compiled is not None else _re_compile(pattern, flags)
        code = _compiled_code(pattern, int(flags))
        if code is not None and _restore(pattern, code) == compiled:
            if len(self._codes) >= MAX_ENTRIES:
                self._codes.clear()
            self._codes[key] = code
            self.grew = True

    def save(self) -> None:
        """Store the codes if this run added any."""
        if self.grew:
            packcache.store(self.key, self._codes)
            self.grew = False

    @contextmanager
    def serving_re(self) -> Iterator[None]:
        """Answer ``re.compile`` from the store while third-party code builds its patterns
        (spaCy compiles its tokenizer's expressions through ``re.compile``). Not for threads:
        ``re.compile`` is restored on exit."""
        real = re.compile
        re.compile = self.compile
        try:
            yield
        finally:
            re.compile = real


def store_key() -> str:
    """Where the codes live in `packcache` (the key covers Python's version)."""
    return packcache.data_key("compiled regexes", code=("regex_store",))
