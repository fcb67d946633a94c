"""/sparql workers yield the CPU to the REST API only for long queries (issue 16, item 4):
a query is reniced once it has used `nice_after_s` of CPU, and its worker then retires; a cheap
query keeps the normal priority, so the protocol endpoint pays no priority penalty per request,
nor when it waits long for a core on a busy machine (CPU time, not time on the clock)."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any

import pytest

from ccmkg.store.workers import QueryPool


def _handler(request: Any) -> Any:
    """Compute for as long as asked (a query that takes that much CPU), or sleep as long
    ("wait", s: a query that waits that long without using the CPU); say who answered."""
    if isinstance(request, tuple):
        time.sleep(request[1])
        return os.getpid()
    until = time.process_time() + float(request)
    while time.process_time() < until:
        pass
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
    seen: set[int] = set()
    worker = pool.run(0.0, timeout_s=10)
    done = threading.Event()

    def watch() -> None:  # what priorities the worker has while it computes
        while not done.is_set():
            with contextlib.suppress(OSError):
                seen.add(_priority(worker))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert pool.run(1.0, timeout_s=60) == worker
    finally:
        done.set()
        watcher.join()
    assert base + 5 in seen
    fresh = pool.run(0.0, timeout_s=10)
    assert fresh != worker and _priority(fresh) == base


def test_a_query_that_waits_without_computing_keeps_its_priority(pool: QueryPool) -> None:
    """Time on the clock is not CPU: a query that waits (as a cheap one does for a core on a
    busy machine) keeps its worker and its priority, however long it waits."""
    base = _priority(0)
    worker = pool.run(0.0, timeout_s=10)
    assert pool.run(("wait", 0.6), timeout_s=10) == worker
    assert _priority(worker) == base
    assert pool.run(0.0, timeout_s=10) == worker


def test_nice_after_zero_lowers_every_worker_from_its_start() -> None:
    p = QueryPool(1, _handler, threading.RLock(), nice=5, nice_after_s=0.0)
    p.start()
    try:
        pid = p.run(0.0, timeout_s=10)
        assert _priority(pid) == _priority(0) + 5
    finally:
        p.close()
