"""MuxPool, the /sparql workers that run several requests at once in threads (issue 16, item 4).

What must hold with threads as it did with one request per worker: every caller gets its own
answer or its own error; a request past its deadline (or whose caller left) is stopped, by
killing its worker, and the other requests in flight there still get their answers; a memory
error or a crash is charged to the request that causes it, not to its neighbours; a long query
is lowered in priority and its worker retires."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ccmkg.errors import QueryMemoryLimit, QueryRejected, QueryTimeout, StoreError
from ccmkg.store.muxpool import MuxPool

# In the worker process: the requests running there now (the handler runs in its threads).
_running = 0
_lock = threading.Lock()
_meet = threading.Barrier(2)


def _handler(request: Any) -> Any:
    """("echo", x): x and the pid; ("sleep", s, x): x after s seconds; ("meet",): wait until a
    second request meets it in the same process (fails after 20 s alone); ("bad",): refuse;
    ("big", n): n bytes; ("spin", s): s seconds of CPU, then the pid and thread id;
    ("segv",): crash; ("mem",): a failed allocation; ("mem-if-crowded",): a failed allocation
    only while another request runs in the process (what another query's memory does)."""
    global _running
    kind = request[0]
    with _lock:
        _running += 1
        crowded = _running > 1
    try:
        if kind == "sleep":
            time.sleep(request[1])
            return request[2], os.getpid()
        if kind == "meet":
            _meet.wait(timeout=20)
            return os.getpid()
        if kind == "bad":
            raise QueryRejected("refused by the handler", hint="a hint")
        if kind == "big":
            return b"x" * request[1]
        if kind == "spin":
            until = time.thread_time() + request[1]
            while time.thread_time() < until:
                pass
            return os.getpid(), threading.get_native_id()
        if kind == "segv":  # a fault in this thread, as an engine's would be
            ctypes.string_at(0)
        if kind == "mem" or (kind == "mem-if-crowded" and crowded):
            raise MemoryError
        return request, os.getpid()
    finally:
        with _lock:
            _running -= 1


def _prepare() -> Any:
    return _handler


def _pool(size: int = 1, threads: int = 2, **kwargs: Any) -> MuxPool:
    pool = MuxPool(size, threads, threading.RLock(), _prepare, **kwargs)
    pool.start()
    return pool


@pytest.fixture
def pool() -> Any:
    p = _pool()
    yield p
    p.close()


def test_answers_and_errors_come_back_to_their_callers(pool: MuxPool) -> None:
    async def scenario() -> list[Any]:
        return list(await asyncio.gather(*(pool.run_async(("echo", i), 10) for i in range(6))))

    answers = asyncio.run(scenario())
    assert [a[0] for a in answers] == [("echo", i) for i in range(6)]
    with pytest.raises(QueryRejected) as err:
        asyncio.run(pool.run_async(("bad",), timeout_s=10))
    assert err.value.message == "refused by the handler" and err.value.hint == "a hint"
    assert pool.run(("echo", "thread"), timeout_s=10)[0] == ("echo", "thread")


def test_one_worker_runs_two_requests_at_the_same_time(pool: MuxPool) -> None:
    """Each request waits for the other inside the worker: they meet only if both run at
    once, in the same process (one worker in the pool)."""

    async def scenario() -> list[Any]:
        return list(
            await asyncio.gather(pool.run_async(("meet",), 30), pool.run_async(("meet",), 30))
        )

    first, second = asyncio.run(scenario())
    assert first == second


def test_a_request_past_its_time_limit_is_stopped_and_its_neighbour_answered(
    pool: MuxPool,
) -> None:
    async def scenario() -> tuple[Any, Any, Any]:
        _, before = await pool.run_async(("echo",), 10)
        late = asyncio.ensure_future(pool.run_async(("sleep", 30, "late"), timeout_s=0.5))
        neighbour = asyncio.ensure_future(pool.run_async(("sleep", 1.0, "mine"), timeout_s=20))
        with pytest.raises(QueryTimeout) as err:
            await late
        assert "time limit of 0.5 s" in err.value.message
        return before, await neighbour, await pool.run_async(("echo", 2), 10)

    before, (answer, answered_by), (echo, after) = asyncio.run(scenario())
    assert answer == "mine" and answered_by != before  # run again on a fresh worker
    assert echo == ("echo", 2) and after != before


def test_a_cancelled_caller_stops_its_query_and_not_its_neighbours(pool: MuxPool) -> None:
    async def scenario() -> tuple[Any, list[Any]]:
        neighbour = asyncio.ensure_future(pool.run_async(("sleep", 0.6, "kept"), timeout_s=20))
        gone = asyncio.ensure_future(pool.run_async(("sleep", 0.5, "stale"), timeout_s=20))
        await asyncio.sleep(0.2)
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        after = [(await pool.run_async(("echo", i), 10))[0] for i in range(4)]
        return (await neighbour)[0], after

    kept, after = asyncio.run(scenario())
    assert kept == "kept" and after == [("echo", i) for i in range(4)]


def test_a_crash_is_charged_to_the_query_that_causes_it(pool: MuxPool) -> None:
    """Both requests lose the worker; each runs again alone: the innocent one is answered,
    the crashing one crashes again alone and gets the error."""

    async def scenario() -> list[Any]:
        innocent = pool.run_async(("sleep", 0.5, "fine"), 30)
        crash = pool.run_async(("segv",), 30)
        return list(await asyncio.gather(innocent, crash, return_exceptions=True))

    fine, crash = asyncio.run(scenario())
    assert fine[0] == "fine"
    assert isinstance(crash, StoreError) and "stopped unexpectedly" in crash.message
    assert pool.run(("echo", 1), timeout_s=10)[0] == ("echo", 1)


def test_a_memory_error_beside_another_query_is_retried_alone(pool: MuxPool) -> None:
    """A failed allocation may be another query's doing (the memory limit is the process's):
    run alone, the query that only failed beside another one is answered; one that fails
    alone too is answered 503 query-memory-limit."""

    async def scenario() -> list[Any]:
        neighbour = pool.run_async(("sleep", 0.5, "fine"), 30)
        crowded = pool.run_async(("mem-if-crowded",), 30)
        return list(await asyncio.gather(neighbour, crowded))

    fine, crowded = asyncio.run(scenario())
    assert fine[0] == "fine" and crowded[0] == ("mem-if-crowded",)
    with pytest.raises(QueryMemoryLimit):
        asyncio.run(pool.run_async(("mem",), timeout_s=10))


def test_an_answer_larger_than_the_pipe_arrives_whole_beside_others() -> None:
    uvloop = pytest.importorskip("uvloop")
    p = _pool(threads=3)
    size = 8 * 2**20

    async def scenario() -> list[Any]:
        calls = [p.run_async(("big", size), 30) for _ in range(3)]
        calls += [p.run_async(("echo", i), 30) for i in range(3)]
        return list(await asyncio.gather(*calls))

    try:
        answers = uvloop.run(scenario())
        assert [len(a) for a in answers[:3]] == [size] * 3
        assert [a[0] for a in answers[3:]] == [("echo", i) for i in range(3)]
        assert len(p.run(("big", size), timeout_s=30)) == size  # from a thread
    finally:
        p.close()


def test_more_callers_than_threads_wait_and_threads_share_the_workers(pool: MuxPool) -> None:
    got: list[Any] = []
    holder = threading.Thread(target=lambda: got.append(pool.run(("sleep", 0.5, "t"), 30)))
    holder.start()

    async def scenario() -> list[Any]:
        calls = [pool.run_async(("sleep", 0.1, i), timeout_s=30) for i in range(7)]
        return [a for a, _ in await asyncio.gather(*calls)]

    assert asyncio.run(scenario()) == list(range(7))
    holder.join()
    assert got[0][0] == "t"


def test_a_caller_that_waited_past_its_limit_for_a_thread_is_answered_busy() -> None:
    p = _pool(threads=1)

    async def scenario() -> None:
        holder = asyncio.ensure_future(p.run_async(("sleep", 1.0, "held"), 30))
        await asyncio.sleep(0.2)
        with pytest.raises(QueryTimeout) as err:
            await p.run_async(("echo",), timeout_s=0.3)
        assert "stayed busy" in err.value.message
        assert (await holder)[0] == "held"

    try:
        asyncio.run(scenario())
    finally:
        p.close()


def _nice_of_thread(pid: int, tid: int) -> int:
    fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


def test_a_long_query_is_lowered_by_thread_cpu_and_its_worker_retires() -> None:
    p = _pool(nice=5, nice_after_s=0.1)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    seen: set[int] = set()

    async def scenario() -> tuple[int, Any, int, Any]:
        _, worker = await p.run_async(("echo",), 10)
        cheap = await p.run_async(("spin", 0.01), 10)
        cheap = (*cheap, _nice_of_thread(*cheap))
        spinning = asyncio.ensure_future(p.run_async(("spin", 1.0), 60))
        while not spinning.done():  # the niceness of every thread of the worker meanwhile
            with contextlib.suppress(OSError):  # the worker, or a thread, has just ended
                for tid in os.listdir(f"/proc/{worker}/task"):
                    seen.add(_nice_of_thread(worker, int(tid)))
            await asyncio.sleep(0.01)
        spun = await spinning
        _, after = await p.run_async(("echo",), 10)
        return worker, cheap, after, spun

    try:
        worker, cheap, after, spun = asyncio.run(scenario())
    finally:
        p.close()
    assert cheap[0] == worker and cheap[2] == base  # kept its priority
    assert spun[0] == worker and base + 5 in seen
    assert after != worker  # the worker with a lowered thread retired


def test_after_a_write_new_requests_go_to_new_workers(pool: MuxPool) -> None:
    async def scenario() -> tuple[Any, Any, Any]:
        _, old = await pool.run_async(("echo",), 10)
        busy = asyncio.ensure_future(pool.run_async(("sleep", 0.5, "old data"), 10))
        await asyncio.sleep(0.1)
        pool.renew()
        _, new = await pool.run_async(("echo",), 10)
        return old, await busy, new

    old, (answer, answered_by), new = asyncio.run(scenario())
    assert answer == "old data" and answered_by == old and new != old
    assert pool.generation == 1


def test_a_closed_pool_refuses() -> None:
    p = _pool()
    p.close()
    with pytest.raises(StoreError):
        p.run(("echo",), timeout_s=10)


def test_closing_fails_the_requests_in_flight_and_stops_their_worker() -> None:
    p = _pool()

    async def scenario() -> tuple[int, BaseException | None]:
        _, worker = await p.run_async(("echo",), 10)
        busy = asyncio.ensure_future(p.run_async(("sleep", 30, "never"), 60))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(p.close)  # as a server's shutdown would, from another thread
        results = await asyncio.gather(busy, return_exceptions=True)
        return worker, results[0] if isinstance(results[0], BaseException) else None

    worker, error = asyncio.run(scenario())
    assert isinstance(error, StoreError) and "closed" in error.message
    for _ in range(100):
        if not Path(f"/proc/{worker}").exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{worker}").exists()


def test_a_worker_started_across_a_write_is_not_kept() -> None:
    """A write renews the pool while a worker starts (it reads the data before the write):
    it is stopped, and the next request gets a worker of the new data."""
    p = MuxPool(1, 2, threading.RLock(), _prepare)
    started = p._fork()  # as `start` would, with a write landing before it joins the pool
    p._forking += 1
    p.renew()
    p._add(started)
    try:
        _, pid = p.run(("echo",), timeout_s=10)
        assert pid != started.process.pid and p.handlers() == [_handler]
    finally:
        p.close()
