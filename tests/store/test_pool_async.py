"""QueryPool.run_async, what /sparql awaits on the event loop (issue 16, item 4): the same
answers, limits and errors as `run`, workers shared with threads that call `run`, and a caller
that goes away leaves no worker behind that would answer the next request with its answer."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from typing import Any

import pytest

from ccmkg.errors import QueryRejected, QueryTimeout
from ccmkg.store.workers import QueryPool


def _handler(request: Any) -> Any:
    """("sleep", s, x): wait s seconds, answer x; ("spin", s): compute s seconds of CPU, answer
    the pid; ("bad",): refuse; anything else: echo it with the pid."""
    kind = request[0]
    if kind == "sleep":
        time.sleep(request[1])
        return request[2]
    if kind == "spin":
        until = time.process_time() + request[1]
        while time.process_time() < until:
            pass
        return os.getpid()
    if kind == "bad":
        raise QueryRejected("refused by the handler", hint="a hint")
    if kind == "big":
        return b"x" * request[1]
    return (request, os.getpid())


@pytest.fixture
def pool() -> Any:
    p = QueryPool(2, _handler, threading.RLock(), nice=5, nice_after_s=0.1)
    p.start()
    yield p
    p.close()


def test_answers_and_errors_are_those_of_run(pool: QueryPool) -> None:
    answer, _ = asyncio.run(pool.run_async(("echo", 1), timeout_s=10))
    assert answer == ("echo", 1)
    assert pool.run(("echo", 1), timeout_s=10)[0] == answer
    with pytest.raises(QueryRejected) as err:
        asyncio.run(pool.run_async(("bad",), timeout_s=10))
    assert err.value.message == "refused by the handler" and err.value.hint == "a hint"


def test_a_query_past_its_time_limit_is_stopped_and_the_pool_keeps_serving() -> None:
    p = QueryPool(1, _handler, threading.RLock())
    p.start()

    async def scenario() -> tuple[Any, Any]:
        _, before = await p.run_async(("echo",), timeout_s=10)
        with pytest.raises(QueryTimeout):
            await p.run_async(("sleep", 30, "late"), timeout_s=0.5)
        return before, await p.run_async(("echo", 2), timeout_s=10)

    try:
        before, (answer, after) = asyncio.run(scenario())
    finally:
        p.close()
    assert answer == ("echo", 2) and after != before  # the worker was killed and replaced


def test_more_callers_than_workers_wait_on_the_loop_and_all_get_their_answer(
    pool: QueryPool,
) -> None:
    async def scenario() -> list[Any]:
        calls = [pool.run_async(("sleep", 0.2, i), timeout_s=30) for i in range(7)]
        return list(await asyncio.gather(*calls))

    assert asyncio.run(scenario()) == list(range(7))


def test_threads_and_coroutines_share_the_workers() -> None:
    """A coroutine waits for the worker a thread holds, and a thread for one a coroutine
    holds: each is woken when the other gives the worker back."""
    p = QueryPool(1, _handler, threading.RLock())
    p.start()
    try:
        got: list[Any] = []
        holder = threading.Thread(target=lambda: got.append(p.run(("sleep", 0.5, "t1"), 30)))
        holder.start()
        time.sleep(0.1)  # the thread holds the only worker
        assert asyncio.run(p.run_async(("sleep", 0, "c1"), timeout_s=30)) == "c1"
        holder.join()

        async def hold_then_wait_for_thread() -> Any:
            task = asyncio.ensure_future(p.run_async(("sleep", 0.5, "c2"), timeout_s=30))
            await asyncio.sleep(0.1)
            waiter = threading.Thread(target=lambda: got.append(p.run(("sleep", 0, "t2"), 30)))
            waiter.start()
            answer = await task
            await asyncio.to_thread(waiter.join)
            return answer

        assert asyncio.run(hold_then_wait_for_thread()) == "c2"
        assert got == ["t1", "t2"]
    finally:
        p.close()


def test_a_cancelled_caller_leaves_no_worker_with_its_answer(pool: QueryPool) -> None:
    """The cancelled request's worker is killed: the next request gets its own answer, not
    the one the cancelled request would have had."""

    async def scenario() -> list[Any]:
        answers = []
        for _ in range(3):
            slow = asyncio.ensure_future(pool.run_async(("sleep", 0.5, "stale"), timeout_s=30))
            await asyncio.sleep(0.1)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
        for i in range(4):
            answers.append((await pool.run_async(("echo", i), timeout_s=30))[0])
        return answers

    assert asyncio.run(scenario()) == [("echo", i) for i in range(4)]


def test_a_long_query_is_lowered_by_cpu_time_and_its_worker_retires() -> None:
    p = QueryPool(1, _handler, threading.RLock(), nice=5, nice_after_s=0.1)
    p.start()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    seen: set[int] = set()

    async def scenario() -> tuple[int, int, int]:
        _, worker = await p.run_async(("echo",), timeout_s=10)
        done = threading.Event()

        def watch() -> None:  # the priorities the only worker has while it computes
            while not done.is_set():
                with contextlib.suppress(OSError):
                    seen.add(os.getpriority(os.PRIO_PROCESS, worker))
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            spun = await p.run_async(("spin", 1.0), timeout_s=60)
        finally:
            done.set()
            watcher.join()
        _, after = await p.run_async(("echo",), timeout_s=10)
        return worker, spun, after, os.getpriority(os.PRIO_PROCESS, after)

    try:
        worker, spun, after, priority = asyncio.run(scenario())
    finally:
        p.close()
    assert spun == worker and base + 5 in seen
    assert after != worker and priority == base


def test_a_coroutine_that_gave_up_waiting_leaves_nothing_behind() -> None:
    """A coroutine that waited for a worker past its time limit is answered 503 (all busy);
    the thread that held the worker gives it back later, when that event loop is gone."""
    p = QueryPool(1, _handler, threading.RLock())
    p.start()
    try:
        got: list[Any] = []
        holder = threading.Thread(target=lambda: got.append(p.run(("sleep", 1.0, "held"), 30)))
        holder.start()
        time.sleep(0.2)
        with pytest.raises(QueryTimeout) as err:
            asyncio.run(p.run_async(("echo",), timeout_s=0.3))
        assert "stayed busy" in err.value.message
        holder.join()
        assert got == ["held"]
        assert p.run(("echo", 3), timeout_s=10)[0] == ("echo", 3)
    finally:
        p.close()


def test_under_uvloop_an_answer_larger_than_the_pipe_arrives_whole() -> None:
    """uvloop (libuv) leaves a descriptor it watched non-blocking: reading an answer the worker
    is still writing then failed, and was reported as the worker's death (seen as 503
    query-memory-limit on the corpus's larger answers once uvloop served the API)."""
    uvloop = pytest.importorskip("uvloop")
    p = QueryPool(1, _handler, threading.RLock())
    p.start()
    size = 8 * 2**20  # far more than a socket buffer: the worker writes while we read

    async def scenario() -> list[int]:
        return [len(await p.run_async(("big", size), timeout_s=30)) for _ in range(3)]

    try:
        assert uvloop.run(scenario()) == [size] * 3
        assert len(p.run(("big", size), timeout_s=30)) == size  # the same worker, in a thread
    finally:
        p.close()
