"""/sparql workers yield the CPU to the REST API only for long queries (issue 16, item 4):
a query is reniced once it has run `nice_after_s`, and its worker then retires; a cheap query
keeps the normal priority, so the protocol endpoint pays no priority penalty per request."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest

from ccmkg.store.workers import QueryPool


def _handler(request: Any) -> Any:
    """Sleep as long as asked (a query that takes that long), then say who answered."""
    time.sleep(float(request))
    return os.getpid()


def _priority(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


@pytest.fixture
def pool() -> Any:
    p = QueryPool(1, _handler, threading.RLock(), nice=5, nice_after_s=0.1)
    p.start()
    yield p
    p.close()


def test_a_cheap_query_keeps_the_normal_priority_and_its_worker(pool: QueryPool) -> None:
    base = _priority(0)
    first = pool.run(0.0, timeout_s=10)
    assert _priority(first) == base
    assert pool.run(0.0, timeout_s=10) == first  # the same worker answers again


def test_a_long_query_is_lowered_while_it_runs_then_its_worker_retires(pool: QueryPool) -> None:
    base = _priority(0)
    seen: list[int] = []
    worker = pool.run(0.0, timeout_s=10)

    def watch() -> None:
        time.sleep(0.5)
        seen.append(_priority(worker))

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert pool.run(1.0, timeout_s=10) == worker
    watcher.join()
    assert seen == [base + 5]
    fresh = pool.run(0.0, timeout_s=10)
    assert fresh != worker and _priority(fresh) == base


def test_nice_after_zero_lowers_every_worker_from_its_start() -> None:
    p = QueryPool(1, _handler, threading.RLock(), nice=5, nice_after_s=0.0)
    p.start()
    try:
        pid = p.run(0.0, timeout_s=10)
        assert _priority(pid) == _priority(0) + 5
    finally:
        p.close()
