"""Compiled regexes restored from an earlier run are the very patterns ``re.compile`` makes,
and a store that cannot restore one only means compiling it again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crisis_audit import regex_store
from crisis_audit.api import build_engine
from crisis_audit.models import Post
from crisis_audit.rulepack import REGEX_FLAGS

PATTERNS = [
    (r"(?<![^\W\d_])(?:[^\W\d_] {1,4}){3,}[^\W\d_](?![^\W\d_])", REGEX_FLAGS),
    (r"\b(?P<price>\d{1,5})(?:[.,]\d{2})?\s?(€|eur\b|euros?\b)", REGEX_FLAGS),
    (r"(?iu)^(?:l'|d'|qu')?(?:aujourd'hui|prud'hom\w+)$", 0),
    (r"(^|[\n.!?]\s*)(moi|nous)\b[^:\n]{1,30}:(?=.)\2?", re.MULTILINE),
    (r"[❤♥💛🫶]|\bconfin[ée]+[·.]?e?[·.]?s?\b", REGEX_FLAGS),
]
TEXT = "C O V I D : moi : 12,50 € ❤ confiné·e·s, nous : L'Aujourd'hui 7 euros\n" * 3


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", str(where))
    return where


def _never(*_args: object) -> re.Pattern[str]:
    raise AssertionError("compiled although the store holds the pattern")


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_restored_pattern_equals_a_fresh_compile_and_finds_the_same(
    folder: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, flags: int
) -> None:
    first = regex_store.RegexStore("test-key")
    first.compile(pattern, flags)
    first.save()
    monkeypatch.setattr(regex_store, "_re_compile", _never)
    restored = regex_store.RegexStore("test-key").compile(pattern, flags)
    monkeypatch.undo()
    fresh = re.compile(pattern, flags)
    assert restored == fresh  # CPython compares the flags and the compiled code
    assert restored is not fresh
    assert restored.groupindex == fresh.groupindex and restored.groups == fresh.groups
    assert [m.span() for m in restored.finditer(TEXT)] == [m.span() for m in fresh.finditer(TEXT)]
    assert [m.groups() for m in restored.finditer(TEXT)] == [
        m.groups() for m in fresh.finditer(TEXT)
    ]


def test_a_damaged_code_or_a_foreign_one_is_compiled_again(folder: Path) -> None:
    store = regex_store.RegexStore("test-key")
    pattern, flags = PATTERNS[1]
    store._codes[pattern, flags] = (0, [1, 2, 3], 0, {}, ())  # not a valid program
    assert store.compile(pattern, flags) == re.compile(pattern, flags)
    store._codes[pattern, flags] = "not even a tuple"  # type: ignore[assignment]
    assert store.compile(pattern, flags) == re.compile(pattern, flags)
    repaired = store._codes[pattern, flags]  # the damaged code was replaced by a good one
    assert regex_store._restore(pattern, repaired) == re.compile(pattern, flags)


def test_a_damaged_file_is_an_empty_store(folder: Path) -> None:
    key = regex_store.store_key()
    folder.mkdir(parents=True)
    (folder / f"{key[:40]}.pickle").write_bytes(b"garbage")
    store = regex_store.RegexStore(key)
    assert store.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_serving_re_stands_in_for_re_compile_and_always_gives_it_back(folder: Path) -> None:
    real = re.compile
    store = regex_store.RegexStore("test-key")
    with pytest.raises(RuntimeError), store.serving_re():
        assert re.compile is not real
        assert re.compile(b"\\d+").pattern == b"\\d+"  # bytes go to the real one
        assert re.compile(r"\d+", re.ASCII) == real(r"\d+", re.ASCII)  # kept for next time
        raise RuntimeError("a failing pipeline build")
    assert re.compile is real
    assert store.grew


def test_a_warm_start_compiles_nothing_and_gives_the_same_verdicts(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second engine builds its tokenizer and runs its rule regexes from the store."""
    posts = [
        Post(id="1", text="C O N F I N E M E N T : -30 % sur tout, vite !", lang="fr"),
        Post(id="2", text="Lockdown deal: 50% off everything, today only!", lang="en"),
    ]
    from crisis_audit import pipeline

    pipeline.get_pipeline.cache_clear()  # build the tokenizers as a first run would
    first = [r.to_dict() for r in build_engine(fast=True).audit(posts)]
    pipeline.get_pipeline.cache_clear()  # and again, as the next run would
    monkeypatch.setattr(regex_store, "_re_compile", _never)
    try:
        second = [r.to_dict() for r in build_engine(fast=True).audit(posts)]
    finally:
        monkeypatch.undo()
        pipeline.get_pipeline.cache_clear()
    assert second == first
    assert any(f["rule"] == "CR02" for f in first[0]["findings"])  # a regex rule did run


def test_with_the_pack_cache_off_nothing_is_compiled_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keeping a code means compiling it a second time: pointless when it cannot be kept."""
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", "off")
    calls: list[str] = []

    def counted(pattern: str, flags: int = 0) -> re.Pattern[str]:
        calls.append(pattern)
        return re.compile(pattern, flags)

    monkeypatch.setattr(regex_store, "_re_compile", counted)
    store = regex_store.RegexStore(regex_store.store_key())
    store.remember(*PATTERNS[0])
    assert store.compile(*PATTERNS[1]) == re.compile(*PATTERNS[1])
    assert calls == [PATTERNS[1][0]] and not store.grew
