"""Batch audits of files and folders: read, audit (cached, in parallel), collect, gate.

This is the engine room of ``crisis-audit audit`` without any terminal code: readers stream
posts, bad rows become `InputError`s (nothing is lost: posts in = audited + rejected), the
engine streams results back in input order, and `gate` decides the exit status from the
findings, the ``--fail-on`` level, the ``--fail-under`` score and the baseline.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .api import build_engine, context_summary
from .baseline import is_problem
from .models import AuditResult, InputError, Post, PostResult
from .readers import ReaderError, ReadOptions, read_path, read_text_stream

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAIL_ON_RANK = {"info": 0, "warning": 1, "error": 2, "never": 99}


@dataclass
class BatchOptions:
    """What a batch run needs beyond the engine options."""

    engine: dict[str, Any] = field(default_factory=dict)
    read: ReadOptions = field(default_factory=ReadOptions)
    jobs: int = 1
    cache_dir: Path | None = None
    progress: Callable[[int], None] | None = None
    # The caller ends the process once it has reported (the CLI): what the batch built
    # (model, matchers, results) lives until exit, so the collector may stop rescanning it.
    one_shot: bool = False


def iter_inputs(
    paths: list[str], options: ReadOptions, errors: list[InputError], notes: list[str]
) -> Iterator[Post]:
    """Posts from every path ('-' is stdin); unreadable files become errors, not crashes.

    What the readers understood of each table (layout, encoding, date order) is appended to
    `notes`, so a user sees every guess that was made.
    """
    import dataclasses
    import sys

    options = dataclasses.replace(options, on_note=notes.append)
    for name in paths:
        items: Iterable[Post | InputError]
        if name == "-":
            items = read_text_stream(sys.stdin.read())
        else:
            items = read_path(Path(name), options)
        try:
            for item in items:
                if isinstance(item, InputError):
                    errors.append(item)
                else:
                    yield item
        except ReaderError as exc:
            errors.append(InputError(source=name, reason=str(exc).removeprefix(f"{name}: ")))


@contextmanager
def _rare_collections(freeze: bool = False) -> Iterator[None]:
    """Make the garbage collector run rarely while a batch is audited.

    A batch keeps every result (the reports need them all) on top of the language model,
    and creates almost no reference cycles; with the default thresholds the collector
    rescans that growing heap thousands of times, about a tenth of a 10,000-post audit.
    Collection stays on, just less often. With `freeze`, everything alive at the end moves
    out of the collector's sight (``gc.freeze``): restoring the thresholds would otherwise
    start a full collection over it at once (0.2 s after a 10,000-post audit)."""
    previous = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.set_threshold(*previous)


def run_batch(paths: list[str], options: BatchOptions) -> tuple[AuditResult, Any]:
    """Audit every post of `paths`; returns the result and the engine used."""
    pool = None
    if options.jobs > 1:  # first, so that the workers start while this process gets ready
        from .parallel import ParallelAuditor

        pool = ParallelAuditor(options.engine, workers=options.jobs - 1)
    results: list[PostResult] = []
    cache = None
    try:
        engine = build_engine(**options.engine)
        if pool is not None:
            pool.local = engine  # this process is one of the jobs
        errors: list[InputError] = []
        notes: list[str] = []
        posts = iter_inputs(paths, options.read, errors, notes)
        auditor: Any = pool if pool is not None else engine.audit
        stream: Iterator[PostResult]
        if options.cache_dir is not None:
            from .cache import ResultCache, audit_cached

            cache = ResultCache(options.cache_dir)
            stream = audit_cached(engine, posts, cache, audit=auditor)
        else:
            stream = auditor(posts)
        with _rare_collections(freeze=options.one_shot):
            for result in stream:
                results.append(_slim(result))
                if options.progress:
                    options.progress(1)
    finally:
        if pool is not None:
            pool.close()
        if cache is not None:
            cache.close()
    audit = AuditResult(
        posts=results,
        errors=errors,
        context=context_summary(engine),
        tool_version=__version__,
        notes=notes,
    )
    if cache is not None:
        audit.context["cache"] = {"hits": cache.hits, "misses": cache.misses}
    return audit, engine


def _slim(result: PostResult) -> PostResult:
    """Drop what no report needs, to keep memory small on 100k posts."""
    result.fired = set()
    return result


@dataclass
class GateOutcome:
    failed: bool
    reasons: list[str]


def gate(
    result: AuditResult,
    fail_on: str = "error",
    fail_under: int | None = None,
    unused_ignores: list[str] | None = None,
) -> GateOutcome:
    """Should the run fail? Baselined findings never fail it."""
    threshold = FAIL_ON_RANK[fail_on]
    reasons = []
    for r in result.posts:
        live = [f for f in r.findings if is_problem(f) and not f.baselined]
        worst = max((SEVERITY_RANK[f.severity] for f in live), default=-1)
        if worst >= threshold:
            codes = ", ".join(
                sorted({f.rule for f in live if SEVERITY_RANK[f.severity] >= threshold})
            )
            reasons.append(f"{r.post.source}: {codes}")
        elif fail_under is not None and live and r.score < fail_under:
            reasons.append(f"{r.post.source}: score {r.score} < {fail_under}")
    if unused_ignores:
        reasons.extend(unused_ignores)
    return GateOutcome(failed=bool(reasons), reasons=reasons)


def unused_ignores(result: AuditResult, resolve: Callable[[str], str | None]) -> list[str]:
    """Ignore entries that suppressed nothing, as ``source: unused ignore CODE`` lines.

    `resolve` maps a code, name or alias to a rule code (None for an unknown rule).
    """
    lines = []
    for r in result.posts:
        if not r.post.ignore:
            continue
        used = set(r.extra.get("suppressed", []))
        for key in r.post.ignore:
            code = resolve(key)
            if code is None:
                lines.append(f"{r.post.source}: ignore names an unknown rule {key!r}")
            elif code not in used:
                lines.append(f"{r.post.source}: unused ignore {key}")
    return lines
