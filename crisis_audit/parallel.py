"""``--jobs N``: audit over N processes, this one included, results streamed in input order.

This process sends chunks of posts to N - 1 worker processes and audits chunks itself
between sends, so N jobs keep N cores busy (not N workers plus a parent that mostly waits).
Workers send back plain records; the parent re-attaches them to its posts. A bounded
number of chunks is in flight, so memory stays flat.

Where it is safe (Linux, this process single-threaded), the workers are forked once this
process has audited the first chunk: they inherit its loaded pipelines and compiled
matchers and start auditing at once. Elsewhere (a progress-bar thread, macOS, Windows) each
worker builds its own engine, forked from a clean fork server that has imported spaCy.
`fork_helper` lends the result cache one such forked worker for the few changed posts of a
re-run (`cache.audit_cached`).
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .models import Post, PostResult

_worker_engine: Any = None


def _init_worker(options: dict[str, Any]) -> None:
    global _worker_engine
    from .api import build_engine

    gc.set_threshold(50_000, 50, 1_000)  # as in the parent's batch: few cycles, many objects
    _worker_engine = build_engine(**options)


def _adopt_engine(engine: Any) -> None:
    """Initializer of forked workers: the parent's warm engine is already in memory."""
    global _worker_engine
    _worker_engine = engine


def audit_records(posts: list[Post]) -> list[dict[str, Any]]:
    """In a worker: audit `posts` with this worker's engine; plain records go back."""
    return [r.to_record() for r in _worker_engine.audit(posts)]


def _context() -> Any:
    """A fork server where there is one (POSIX): it imports spaCy once, and each worker is
    forked from it with spaCy already imported instead of starting a fresh interpreter.
    The server is a clean single-threaded process, so forking it is safe (unlike forking
    the CLI, which may run a progress-bar thread)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["crisis_audit.parallel", "crisis_audit.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _chunks(posts: Iterable[Post], size: int) -> Iterator[list[Post]]:
    iterator = iter(posts)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ParallelAuditor:
    """A callable with the signature of `Engine.audit`, backed by `workers` processes and,
    once `local` is set to this process's engine, by this process too."""

    IN_FLIGHT_PER_WORKER = 3  # chunks queued per worker: it never waits for the parent

    def __init__(self, options: dict[str, Any], workers: int, chunk_size: int = 256) -> None:
        self.options = options
        self.workers = workers
        self.chunk_size = chunk_size
        self.max_in_flight = self.IN_FLIGHT_PER_WORKER * workers
        self.local: Any = None  # an Engine: this process audits the chunks workers cannot take
        self.pool: Any = None
        if not can_fork_warm():  # start building engines now, while this process gets ready
            self.pool = _fresh_pool(options, workers)

    def _ensure_pool(self) -> None:
        if self.pool is None:
            if self.local is not None and can_fork_warm():
                self.pool = _forked_pool(self.local, self.workers)
            else:
                self.pool = _fresh_pool(self.options, self.workers)

    def __call__(self, posts: Iterable[Post]) -> Iterator[PostResult]:
        # In input order: each chunk with its results (a list) or its pending AsyncResult.
        pending: deque[tuple[list[Post], Any]] = deque()
        in_flight = 0
        for chunk in _chunks(posts, self.chunk_size):
            if self.pool is None and self.local is not None:
                # audit the first chunk here: its languages are loaded before workers fork
                pending.append((chunk, list(self.local.audit(chunk))))
                self._ensure_pool()
            elif in_flight < self.max_in_flight:
                self._ensure_pool()
                pending.append((chunk, self.pool.apply_async(audit_records, (chunk,))))
                in_flight += 1
            elif self.local is not None:
                pending.append((chunk, list(self.local.audit(chunk))))
            else:  # every worker has enough queued: wait for the oldest chunk first
                while in_flight >= self.max_in_flight:
                    in_flight -= _is_remote(pending[0][1])
                    yield from _results(*pending.popleft())
                pending.append((chunk, self.pool.apply_async(audit_records, (chunk,))))
                in_flight += 1
            while pending and _done(pending[0][1]):
                in_flight -= _is_remote(pending[0][1])
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())

    def close(self) -> None:
        """Stop the workers. Once every chunk has come back, there is nothing left for them
        to do or save: terminating spares waiting for each to free its language model."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def fork_helper(engine: Any) -> Any:
    """One worker process forked from this one, auditing with a copy of `engine` (which
    loads its pipelines there if this process has not): call ``apply_async(audit_records,
    (posts,))`` on it. Only where `can_fork_warm`."""
    return _forked_pool(engine, 1)


def _forked_pool(engine: Any, workers: int) -> Any:
    """Workers forked from this process that adopt `engine` as it is in memory."""
    for stream in (sys.stdout, sys.stderr):  # no buffered text is inherited twice
        stream.flush()
    gc.freeze()  # objects inherited by the workers stay shared, not copied
    try:
        ctx = multiprocessing.get_context("fork")
        return ctx.Pool(workers, initializer=_adopt_engine, initargs=(engine,))
    finally:
        gc.unfreeze()


def can_fork_warm() -> bool:
    """Forking this process is safe on Linux while no other thread runs (no lock can be
    inherited held) and fork is available."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _fresh_pool(options: dict[str, Any], workers: int) -> Any:
    """Workers that each build their own engine (see `_context`)."""
    try:
        return _context().Pool(workers, initializer=_init_worker, initargs=(options,))
    except OSError:  # no fork server here (e.g. a sandbox without Unix sockets)
        spawn = multiprocessing.get_context("spawn")
        return spawn.Pool(workers, initializer=_init_worker, initargs=(options,))


def _is_remote(done: Any) -> int:
    return 0 if isinstance(done, list) else 1


def _done(done: Any) -> bool:
    return isinstance(done, list) or done.ready()


def _results(chunk: list[Post], done: Any) -> Iterator[PostResult]:
    if isinstance(done, list):
        yield from done
        return
    for post, record in zip(chunk, done.get(), strict=True):
        yield PostResult.from_record(post, record)
