"""``--jobs N``: audit over several processes, results streamed back in input order.

Each worker builds its own engine once (spaCy objects are not shared between processes)
from the same options as the parent, audits chunks of posts and sends back plain records;
the parent re-attaches them to its posts. Chunks are consumed lazily, so memory stays flat.
"""

from __future__ import annotations

import gc
import multiprocessing
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


def _audit_chunk(posts: list[Post]) -> list[dict[str, Any]]:
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
    """A callable with the signature of `Engine.audit`, backed by a process pool."""

    def __init__(self, options: dict[str, Any], jobs: int, chunk_size: int = 256) -> None:
        try:
            self.pool = _context().Pool(jobs, initializer=_init_worker, initargs=(options,))
        except OSError:  # no fork server here (e.g. a sandbox without Unix sockets)
            spawn = multiprocessing.get_context("spawn")
            self.pool = spawn.Pool(jobs, initializer=_init_worker, initargs=(options,))
        self.chunk_size = chunk_size

    def __call__(self, posts: Iterable[Post]) -> Iterator[PostResult]:
        pending: list[list[Post]] = []

        def remember(chunk: list[Post]) -> list[Post]:
            pending.append(chunk)
            return chunk

        chunks = (remember(c) for c in _chunks(posts, self.chunk_size))
        for records in self.pool.imap(_audit_chunk, chunks):
            chunk = pending.pop(0)
            for post, record in zip(chunk, records, strict=True):
                yield PostResult.from_record(post, record)

    def close(self) -> None:
        """Stop the workers. Once every chunk has come back, there is nothing left for them
        to do or save: terminating spares waiting for each to free its language model."""
        self.pool.terminate()
        self.pool.join()
