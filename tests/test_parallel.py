"""``--jobs``: this process audits chunks too, workers take the others, order and verdicts
never change, whether workers are forked warm from this process or built from scratch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crisis_audit import parallel
from crisis_audit.api import build_engine
from crisis_audit.models import Post
from crisis_audit.readers import ReadOptions, read_path

ROOT = Path(__file__).resolve().parent.parent
OPTIONS: dict[str, Any] = {"fast": True}


def sample_posts(n: int) -> list[Post]:
    posts = read_path(ROOT / "samples" / "dev.jsonl", ReadOptions())
    return [p for p in posts if isinstance(p, Post)][:n]


def records(results: Any) -> list[str]:
    return [json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) for r in results]


class CountingEngine:
    """The parent's engine, counting the chunks it audits itself."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.chunks = 0

    def audit(self, posts: list[Post]) -> Any:
        self.chunks += 1
        return self.engine.audit(posts)


@pytest.mark.parametrize("warm_fork", [True, False], ids=["forked-warm", "fresh-workers"])
def test_parent_and_workers_share_the_chunks_in_input_order(
    warm_fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not warm_fork:
        monkeypatch.setattr(parallel, "can_fork_warm", lambda: False)
    posts = sample_posts(40)
    engine = build_engine(**OPTIONS)
    expected = records(engine.audit(posts))
    auditor = parallel.ParallelAuditor(OPTIONS, workers=1, chunk_size=3)
    local = CountingEngine(build_engine(**OPTIONS))
    auditor.local = local
    try:
        got = list(auditor(posts))
    finally:
        auditor.close()
    assert [r.post.id for r in got] == [p.id for p in posts]
    assert records(got) == expected
    assert 1 <= local.chunks < 14  # 14 chunks in all: this process took some, not all


class CountingPool:
    """A worker pool that counts the chunks sent and not yet collected."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.in_flight = self.peak = 0

    def apply_async(self, func: Any, args: tuple[Any, ...]) -> Any:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        return _Collected(self, self.pool.apply_async(func, args))

    def terminate(self) -> None:
        self.pool.terminate()

    def join(self) -> None:
        self.pool.join()


class _Collected:
    def __init__(self, owner: CountingPool, result: Any) -> None:
        self.owner, self.result = owner, result

    def ready(self) -> bool:
        return bool(self.result.ready())

    def get(self) -> Any:
        self.owner.in_flight -= 1
        return self.result.get()


def test_workers_alone_keep_a_bounded_number_of_chunks_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts = sample_posts(20)
    expected = records(build_engine(**OPTIONS).audit(posts))
    fresh_pool = parallel._fresh_pool
    pools: list[CountingPool] = []
    monkeypatch.setattr(
        parallel,
        "_fresh_pool",
        lambda o, w: pools.append(CountingPool(fresh_pool(o, w))) or pools[-1],
    )
    auditor = parallel.ParallelAuditor(OPTIONS, workers=1, chunk_size=2)
    try:
        got = list(auditor(posts))  # no local engine: all 10 chunks go to the worker
    finally:
        auditor.close()
    assert records(got) == expected
    assert 1 < pools[0].peak <= auditor.max_in_flight < 10
