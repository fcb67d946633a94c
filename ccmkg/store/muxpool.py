"""Query workers that each run several requests at once, in threads (the /sparql pool).

Why: pyoxigraph releases the interpreter lock while it evaluates a query (measured on the
corpus: two threads of one process answered the named queries at 1.94 cores), so one worker
can keep a second core busy while the server process parses and writes HTTP. One request per
worker left each worker idle while the server's event loop got round to handing it the next
request, and more worker processes (each with its own copy of a small store) did not pay.

A request goes down the worker's pipe with an id; the worker runs it in one of its `threads`
threads and sends back (id, reply) under a lock. The server reads a worker's pipe on the event
loop of the requests in flight there (`add_reader`): a worker is bound to one loop while it has
requests in flight (a caller from another loop, or a thread through `run`, uses another
worker). The limits are those of `workers.QueryPool`:

- **Time.** A thread cannot be stopped: a request past its deadline (or whose caller went away)
  has its whole worker killed. The other requests in flight there lost their worker through
  no fault of theirs: each is run again on another worker, within its own deadline.
- **Memory** (RLIMIT_AS) is the process's: one query's allocations can make another's fail, and
  an engine that aborts kills every request in flight. So a memory error or a death is only
  believed of a request that was alone in its worker: the others are run again *alone* (no
  other request joins that worker); if it fails alone, it was the cause (503
  `query-memory-limit`, or `StoreError` for a crash).
- **Priority.** A thread that has used `nice_after_s` of CPU on one query is reniced (Linux
  niceness is per thread) by a watcher thread in the worker; like a worker that grew too much,
  the worker then takes no new request and is stopped once its last answer is in.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ccmkg.errors import CcmKgError, QueryMemoryLimit, QueryTimeout, StoreError
from ccmkg.store.muxchild import mux_worker_main
from ccmkg.store.workers import _CLEAN, Handler, _raise_reply, _wake, _Worker, death_cause

log = logging.getLogger(__name__)

# Times a request is run again after losing its worker to another request's fault.
MAX_RERUNS = 2


class _Lost(Exception):
    """The request's worker is gone. `blame`: "mine" (it ran alone there: its fault),
    "suspect" (a memory error or a death among several requests: run it again alone),
    "innocent" (the worker was stopped for another request: run it again)."""

    def __init__(self, blame: str, exitcode: int | None = None, mem: bool = False) -> None:
        super().__init__(f"worker lost ({blame})")
        self.blame = blame
        self.exitcode = exitcode
        self.mem = mem


@dataclass(eq=False)
class _MuxWorker:
    worker: _Worker
    inflight: dict[int, asyncio.Future[tuple[Any, ...]]] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None  # the loop reading its pipe, while busy
    alone: bool = False  # runs one request that no other may join
    retiring: bool = False  # takes no new request; stopped when its last answer is in
    dead: bool = False

    @property
    def generation(self) -> int:
        return self.worker.generation


class MuxPool:
    """Up to `size` worker processes of `threads` threads each, for /sparql (see the module)."""

    def __init__(
        self,
        size: int,
        threads: int,
        fork_lock: threading.RLock,
        prepare: Callable[[], Handler],
        *,
        memory_bytes: int | None = None,
        nice: int = 0,
        nice_after_s: float = 0.0,
    ) -> None:
        """`prepare` gives the handler of a worker about to start (called under the fork lock);
        it is pickled to a child of the forkserver. `nice`/`nice_after_s`: as QueryPool."""
        self.size = size
        self.threads = threads
        self._fork_lock = fork_lock
        self._prepare = prepare
        self._memory_bytes = memory_bytes
        self._nice = nice
        self._nice_after_s = nice_after_s
        self._lock = threading.Lock()
        self._workers: list[_MuxWorker] = []  # alive (or not yet known dead), any generation
        self._forking = 0
        self._generation = 0
        self._closed = False
        self._ids = itertools.count()
        self._waiters: list[asyncio.Future[None]] = []

    # --- life cycle ---

    @property
    def generation(self) -> int:
        """Bumped by every `renew` (every committed write): a key for caches of the data."""
        return self._generation

    def start(self) -> None:
        """Start the workers now, so that the first queries do not pay for it."""
        with self._lock:
            need = self.size - len(self._workers) - self._forking
            self._forking += need
        for _ in range(need):
            self._add(self._fork())

    def handlers(self) -> list[Handler]:
        """The handlers of the workers alive now, busy or not (what they still read)."""
        with self._lock:
            return [m.worker.handler for m in self._workers]

    def renew(self) -> None:
        """After a committed write: idle workers of the old data stop; busy ones finish their
        requests on the old data and stop then. The caller holds the fork lock."""
        with self._lock:
            self._generation += 1
            for m in self._workers:
                m.retiring = True
            # A worker still read by a loop is stopped there, once its last answer is in.
            stale = [m for m in self._workers if not m.inflight and m.loop is None]
            self._workers = [m for m in self._workers if m not in stale]
            self._notify()
        for m in stale:
            m.worker.stop()

    def close(self) -> None:
        """Stop every worker; requests in flight and later calls fail with StoreError."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
            self._notify()
        for mux in workers:
            loop = mux.loop
            if loop is None:
                mux.worker.stop()
                continue
            with contextlib.suppress(RuntimeError):  # no loop runs in this thread
                if asyncio.get_running_loop() is loop:
                    self._closed_under(mux)
                    continue
            try:  # the pipe is read by that loop: stop reading it there first
                loop.call_soon_threadsafe(self._closed_under, mux)
            except RuntimeError:  # that loop is closed: nobody waits any more
                mux.worker.stop()

    def _closed_under(self, mux: _MuxWorker) -> None:
        """On the loop reading its pipe: the requests in flight there fail, the worker stops."""
        self._fail_inflight(mux, lambda _n: StoreError("The store is closed."))

    def _fail_inflight(self, mux: _MuxWorker, error: Callable[[int], Exception]) -> None:
        """The worker is gone (once): out of the pool, and each request in flight there gets
        `error(how many were in flight)`, made after the worker is stopped (its exit code)."""
        with self._lock:
            if mux.dead:
                return
            mux.dead = True
            inflight = list(mux.inflight.values())
        self._forget(mux)
        for answered in inflight:
            if not answered.done():
                answered.set_exception(error(len(inflight)))

    def _fork(self) -> _Worker:
        with self._fork_lock:
            handler = self._prepare()
            parent_conn, child_conn = _CLEAN.Pipe(duplex=True)
            process = _CLEAN.Process(
                target=mux_worker_main,
                args=(handler, child_conn, self._memory_bytes, self.threads, self._nice,
                      self._nice_after_s),
                daemon=True,
            )  # fmt: skip
            process.start()
            child_conn.close()
            return _Worker(process, parent_conn, self._generation, handler)

    def _add(self, worker: _Worker) -> None:
        """A started worker joins the pool (or stops, if the pool closed or a write renewed it
        meanwhile: it reads the old data)."""
        with self._lock:
            self._forking -= 1
            self._notify()  # a waiting caller takes it, or starts another
            if not self._closed and worker.generation == self._generation:
                self._workers.append(_MuxWorker(worker))
                return
        worker.stop()

    def _forked(self, forking: asyncio.Future[_Worker]) -> None:
        if forking.cancelled() or forking.exception() is not None:
            with self._lock:
                self._forking -= 1
                self._notify()
        else:
            self._add(forking.result())

    async def _fork_async(self) -> None:
        """Start a worker in a thread (it waits for the store's write lock); it joins the pool
        even if the caller is cancelled meanwhile."""
        forking = asyncio.ensure_future(asyncio.to_thread(self._fork))
        forking.add_done_callback(self._forked)
        await asyncio.shield(forking)

    # --- running a request ---

    def run(self, request: Any, timeout_s: float | None) -> Any:
        """`run_async` for a thread without an event loop (on a loop of its own)."""
        return asyncio.run(self.run_async(request, timeout_s))

    async def run_async(self, request: Any, timeout_s: float | None) -> Any:
        """Run `request` in a worker thread; its worker is killed if the deadline passes or the
        caller is cancelled.

        Raises:
            QueryTimeout: the deadline passed (the query was stopped), or every worker stayed
                busy until it.
            QueryMemoryLimit: the query needed more memory than a worker may use (alone).
            StoreError: its worker died while it ran there alone (e.g. an engine crash).
            CcmKgError: whatever the handler raised, re-raised here with its message.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        alone = False
        for attempt in range(MAX_RERUNS + 1):
            try:
                reply = await self._once(request, deadline, timeout_s, alone)
            except _Lost as lost:
                if lost.blame == "mine" or (lost.blame == "suspect" and alone):
                    raise self._blame(lost) from None
                if attempt == MAX_RERUNS:
                    raise StoreError(
                        "The query lost its worker to other queries too many times.",
                        hint="Retry; the server keeps serving.",
                    ) from None
                alone = alone or lost.blame == "suspect"
                log.info("query run again (%s): its worker was lost", lost.blame)
                continue
            if reply[0] == "ok":
                return reply[1]
            _raise_reply(reply)
        raise AssertionError("unreachable")

    def _blame(self, lost: _Lost) -> CcmKgError:
        """The error of a request whose worker failed while it ran alone there."""
        if lost.mem or death_cause(lost.exitcode) == "memory":
            limit = "" if self._memory_bytes is None else f" of {self._memory_bytes // 2**20} MB"
            return QueryMemoryLimit(
                f"The query needed more than the memory limit{limit} of a query worker and was "
                "stopped (CCMKG_QUERY_MEMORY_MB).",
                hint="Narrow the query: fewer joined patterns, a LIMIT, no ORDER BY over a "
                "large result, shorter computed strings.",
            )
        log.error("query worker died (exit %s)", lost.exitcode)
        return StoreError(
            "The query worker stopped unexpectedly while running this query.",
            hint="The query may trigger an engine fault; the server keeps serving.",
        )

    async def _once(
        self, request: Any, deadline: float | None, timeout_s: float | None, alone: bool
    ) -> tuple[Any, ...]:
        """One attempt: the reply of a worker, or _Lost / QueryTimeout."""
        loop = asyncio.get_running_loop()
        mux, rid, answered, first = await self._acquire(loop, deadline, alone)
        try:
            if first:
                loop.add_reader(mux.worker.conn.fileno(), self._readable, mux)
            mux.worker.conn.send((rid, request))
        except OSError:  # it died before this request reached it
            with self._lock:
                mux.inflight.pop(rid, None)
            self._died(mux)
            raise _Lost("innocent") from None
        try:
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            await asyncio.wait([answered], timeout=remaining)
        except asyncio.CancelledError:
            self._kill(mux, rid)
            raise
        if not answered.done():
            self._kill(mux, rid)
            log.warning("query stopped at its time limit of %s s", timeout_s)
            raise QueryTimeout(
                f"The query ran longer than the time limit of {timeout_s:g} s and was stopped.",
                hint="Narrow the query (more specific patterns, LIMIT) or use a named query.",
            )
        return answered.result()  # or raises _Lost

    def _readable(self, mux: _MuxWorker) -> None:
        """On the loop: the worker's pipe has (the start of) a message: one answer, or EOF."""
        fd = mux.worker.conn.fileno()
        # uvloop (libuv) makes a watched descriptor non-blocking; a large answer is read while
        # the worker still writes it, so the read must block (see workers.run_async).
        os.set_blocking(fd, True)
        try:
            rid, reply, retire = mux.worker.conn.recv()
        except (EOFError, OSError):
            self._died(mux)
            return
        with self._lock:
            answered = mux.inflight.pop(rid, None)
            mux.retiring = mux.retiring or retire
            crowded = bool(mux.inflight)
        if answered is not None and not answered.done():
            if reply[0] == "mem":  # another request in flight may have taken the memory
                answered.set_exception(_Lost("suspect" if crowded else "mine", mem=True))
            else:
                answered.set_result(reply)
        self._after_answer(mux)

    def _after_answer(self, mux: _MuxWorker) -> None:
        """Stop reading an idle worker's pipe; stop a retiring one; wake a waiting caller."""
        stop = False
        with self._lock:
            if not mux.inflight:
                if mux.loop is not None:
                    with contextlib.suppress(RuntimeError, OSError):  # closed loop or pipe
                        mux.loop.remove_reader(mux.worker.conn.fileno())
                mux.loop, mux.alone = None, False
                if mux.retiring or mux.generation != self._generation or self._closed:
                    stop = True
                    if mux in self._workers:
                        self._workers.remove(mux)
            self._notify()
        if stop:
            mux.worker.stop()

    def _died(self, mux: _MuxWorker) -> None:
        """The worker's pipe broke: it died. Every request in flight there learns it: the
        cause if it ran alone, a suspect to run again alone if not."""

        def lost(in_flight: int) -> Exception:
            blame = "mine" if in_flight == 1 else "suspect"
            return _Lost(blame, exitcode=mux.worker.process.exitcode)

        self._fail_inflight(mux, lost)

    def _kill(self, mux: _MuxWorker, rid: int) -> None:
        """Stop a request that ran past its deadline (or whose caller left): kill its worker;
        the other requests in flight there are run again elsewhere."""
        with self._lock:
            if mux.dead:
                return
            mux.dead = True
            mux.inflight.pop(rid, None)
            others = list(mux.inflight.values())
        self._forget(mux)
        for answered in others:
            if not answered.done():
                answered.set_exception(_Lost("innocent"))

    def _forget(self, mux: _MuxWorker) -> None:
        """Out of the pool: stop reading its pipe (on the loop that reads it), stop it."""
        with self._lock:
            mux.inflight = {}
            if mux in self._workers:
                self._workers.remove(mux)
            loop, mux.loop = mux.loop, None
            self._notify()
        if loop is not None:
            with contextlib.suppress(RuntimeError, ValueError, OSError):
                loop.remove_reader(mux.worker.conn.fileno())
        mux.worker.stop()

    async def _acquire(
        self, loop: asyncio.AbstractEventLoop, deadline: float | None, alone: bool
    ) -> tuple[_MuxWorker, int, asyncio.Future[tuple[Any, ...]], bool]:
        """A worker with a free thread, read by this loop (or idle), with the request entered
        in it: (worker, request id, its answer to come, whether the loop must start reading the
        pipe). Starts a worker if the pool is short; else waits on the loop. `alone`: an idle
        worker, which no other request joins."""
        while True:
            with self._lock:
                if self._closed:
                    raise StoreError("The store is closed.")
                mux = self._free(loop, alone)
                if mux is not None:
                    first = not mux.inflight
                    mux.loop, mux.alone = loop, alone
                    rid = next(self._ids)
                    answered: asyncio.Future[tuple[Any, ...]] = loop.create_future()
                    mux.inflight[rid] = answered
                    return mux, rid, answered, first
                fork = len(self._workers) + self._forking < self.size
                remaining = None if deadline is None else deadline - time.monotonic()
                if fork:
                    self._forking += 1
                elif remaining is not None and remaining <= 0:
                    raise QueryTimeout(
                        f"All {self.size} query workers stayed busy until the time limit.",
                        hint="Retry later; the server is answering other long queries.",
                    )
                else:
                    waiter = loop.create_future()
                    self._waiters.append(waiter)
            if fork:
                await self._fork_async()
                continue
            try:
                await asyncio.wait([waiter], timeout=remaining)
            finally:
                waiter.cancel()

    def _free(self, loop: asyncio.AbstractEventLoop, alone: bool) -> _MuxWorker | None:
        """The least busy worker a request from `loop` may use (the caller holds _lock)."""
        best: _MuxWorker | None = None
        for mux in self._workers:
            if mux.dead or mux.retiring or mux.alone or mux.generation != self._generation:
                continue
            if mux.inflight and (alone or mux.loop is not loop):
                continue
            if len(mux.inflight) >= self.threads or not mux.worker.process.is_alive():
                continue
            if best is None or len(mux.inflight) < len(best.inflight):
                best = mux
        return best

    def _notify(self) -> None:
        """Wake every waiting caller (each looks again; the caller holds _lock)."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                with contextlib.suppress(RuntimeError):  # its loop is closed
                    waiter.get_loop().call_soon_threadsafe(_wake, waiter)
