"""A pool of forked query workers: the hard time limit for engines that cannot be cancelled.

pyoxigraph offers no way to stop a running query from Python. So queries that must finish
by a deadline run in a child process (forked from this one, or, for a handler the pool prepares
per worker, from the forkserver: the embedded store gives each worker a handler that reads a
read-only checkpoint of the committed data, see snapshots.py). At
the deadline the child is killed with SIGKILL and a fresh one is forked; the server itself
never waits longer than the limit. After every committed write the pool is renewed so that
children see the new data.

Workers are forked only while the owner's write lock is held, so no child is ever born in the
middle of a write to the store it inherits.

Each worker is bounded in memory too: RLIMIT_AS is set to what it inherited plus
`memory_bytes`, so a query that grows (a cross join sorted, a long CONCAT chain) fails in its
worker, which is then replaced, and is answered with 503 `query-memory-limit`. A worker whose
resident memory grew a lot retires after its answer, so that the memory goes back to the
system. `run_isolated` applies the same bounds to one job in a one-shot child (the parse and
validation of an upload): the server survives whatever the job does, a crash included.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ccmkg.errors import (
    CcmKgError,
    QueryMemoryLimit,
    QueryRejected,
    QueryTimeout,
    StoreError,
)

log = logging.getLogger(__name__)

Handler = Callable[[Any], Any]

_ctx = multiprocessing.get_context("fork")
# Workers that open a native store themselves (RocksDB) start from the forkserver: a clean,
# single-threaded process. A fork of the server would inherit the locks its RocksDB threads
# hold at that instant (compaction after a write), and the child's own open could wait on
# them for ever (seen: a graph count stuck until its 60 s limit under a loaded test run).
_CLEAN = multiprocessing.get_context("forkserver")
# Imported once in the forkserver, so that a new worker starts in milliseconds: the store, and
# the server's main script or module (see forkmain.py).
# This process's own main, for the forkserver it starts (which inherits the environment).
FORKSERVER_MAIN_ENV = "CCMKG_FORKSERVER_MAIN"
FORKSERVER_MAIN_NAME_ENV = "CCMKG_FORKSERVER_MAIN_NAME"
_MAIN = spawn.get_preparation_data("ccmkg")
os.environ[FORKSERVER_MAIN_ENV] = _MAIN.get("init_main_from_path", "")
os.environ[FORKSERVER_MAIN_NAME_ENV] = _MAIN.get("init_main_from_name", "")
_CLEAN.set_forkserver_preload(["ccmkg.store.forkmain", "ccmkg.store.embedded"])
_PAGE = os.sysconf("SC_PAGE_SIZE")
# A worker whose resident memory grew by more than this since it started retires after its
# answer: the allocator rarely gives freed memory back, a fresh fork starts small.
RETIRE_GROWTH_BYTES = 256 * 1024 * 1024
# A worker whose *private* memory grew by more than this (what a query left allocated, or
# inherited pages it wrote to and so copied) retires too: a fresh fork starts small. Checked
# only after queries longer than PRIVATE_CHECK_AFTER_S, which are the ones that walk a lot.
RETIRE_PRIVATE_BYTES = 64 * 1024 * 1024
PRIVATE_CHECK_AFTER_S = 0.05


def _memory() -> tuple[int, int]:
    """(virtual size, resident size) of this process in bytes."""
    with open("/proc/self/statm", encoding="ascii") as f:
        size, resident = f.read().split()[:2]
    return int(size) * _PAGE, int(resident) * _PAGE


def _private_bytes() -> int:
    """Memory this process holds alone (USS): pages it wrote, the inherited ones it copied.

    RSS does not show an inherited page the process wrote to (copied): it was resident before
    and after its copy. (Reading a pyoxigraph in-memory store writes to every page it walks,
    which is why workers no longer share one: snapshots.py.) Costs a walk of the page tables,
    so it is read only after a long query.
    """
    private = 0
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1]) * 1024
    return private


_TICK = os.sysconf("SC_CLK_TCK")


def _limit_memory(extra_bytes: int | None) -> None:
    """RLIMIT_AS = what this process maps now + `extra_bytes` (it inherits the parent's map)."""
    if extra_bytes is None:
        return
    limit = _memory()[0] + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _enter_child(keep: int, nice: int = 0) -> None:
    """In a freshly forked child: the parent's signal handlers and descriptors stay behind."""
    # The parent may be a uvicorn server: its signal handlers and sockets must not live on here.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)
    # An engine that aborts prints pages (a Rust backtrace) to stderr; the parent logs one
    # line about the child's death instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if nice:
        os.nice(nice)


def _error_reply(exc: BaseException) -> tuple[Any, ...]:
    if isinstance(exc, CcmKgError):
        state = dict(exc.__dict__)
        try:
            pickle.dumps(state)
        except Exception:
            state = {"message": exc.message, "hint": exc.hint}
        return ("err", type(exc), state)
    if isinstance(exc, MemoryError):
        return ("mem",)
    if isinstance(exc, SyntaxError):
        return _error_reply(QueryRejected(f"SPARQL syntax error: {exc}", "Check the query text."))
    return _error_reply(StoreError(f"The query failed: {type(exc).__name__}: {exc}"))


def _raise_reply(reply: tuple[Any, ...]) -> None:
    """Re-raise in this process the error a child described (its class and attributes)."""
    _, cls, state = reply
    exc = cls.__new__(cls)
    Exception.__init__(exc, state.get("message", ""))
    exc.__dict__.update(state)
    raise exc


def _worker_main(
    handler: Handler, conn: Connection, memory_bytes: int | None = None, nice: int = 0
) -> None:
    """Child loop: receive a request, run it, send ("ok", value, retire) or an error."""
    _enter_child(conn.fileno(), nice)
    # The inherited Python objects are the parent's: a collection here would walk them all and
    # copy every page of the parent's heap (copy-on-write). Frozen, the collector skips them.
    gc.freeze()
    start = getattr(handler, "start", None)
    if start is not None:
        start()  # e.g. open the store it reads; before the limit, which is for the queries
    # A handler may have work to do while no request waits (e.g. copy the store it reads into
    # memory): `background()` does a short slice of it and says whether some is left (None:
    # nothing before the next request). A request waits at most one slice. Once it is done, the
    # memory limit and the retirement rules count from what the worker then holds.
    background = getattr(handler, "background", None)
    _limit_memory(memory_bytes)
    start_rss = _memory()[1]
    start_private = _private_bytes()
    while True:
        while background is not None and not conn.poll(0):
            more = background()
            if more is None:
                break
            if not more:
                background = None
                _limit_memory(memory_bytes)
                start_rss = _memory()[1]
                start_private = _private_bytes()
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        began = time.monotonic()
        try:
            reply: tuple[Any, ...] = ("ok", handler(request))
        except Exception as exc:  # MemoryError is an Exception too
            reply = _error_reply(exc)
        retire = reply[0] == "mem" or _memory()[1] - start_rss > RETIRE_GROWTH_BYTES
        if not retire and time.monotonic() - began > PRIVATE_CHECK_AFTER_S:
            retire = _private_bytes() - start_private > RETIRE_PRIVATE_BYTES
        try:
            conn.send((*reply, retire) if reply[0] == "ok" else reply)
        except MemoryError:
            conn.send(("mem",))
            retire = True
        except (BrokenPipeError, OSError):
            os._exit(0)
        if retire:
            os._exit(0)


def death_cause(exitcode: int | None) -> str:
    """Why a child died, from its exit status: "memory" (an allocation failed: Rust aborts,
    the kernel kills), "crash" (a segmentation fault: recursion too deep) or "exit"."""
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL):
        return "memory"
    if exitcode in (-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGILL):
        return "crash"
    return "exit"


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int
    handler: Handler
    niced: bool = False  # lowered in priority while it ran a long query: retires after it
    _stat: int | None = None  # /proc/PID/stat of the child, kept open (a read costs ~5 µs)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the child has used so far.

        Raises:
            OSError: the child has exited.
        """
        if self._stat is None:
            self._stat = os.open(f"/proc/{self.process.pid}/stat", os.O_RDONLY)
        fields = os.pread(self._stat, 1024, 0).rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK

    def stop(self) -> None:
        """SIGKILL: the child holds nothing that needs a clean shutdown."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
        if self._stat is not None:
            os.close(self._stat)
            self._stat = None


class QueryPool:
    """Up to `size` forked workers; `run` gives each request a deadline it cannot outlive."""

    def __init__(
        self,
        size: int,
        handler: Handler,
        fork_lock: threading.RLock,
        *,
        memory_bytes: int | None = None,
        nice: int = 0,
        nice_after_s: float = 0.0,
        prepare: Callable[[], Handler] | None = None,
    ) -> None:
        """`prepare`: called under the fork lock before each fork, it gives the handler of that
        worker (e.g. one bound to the snapshot of the data it must read); without it every
        worker runs `handler`, forked from this process (it inherits what it reads). A prepared
        handler is pickled to a child of the forkserver instead (a clean process, see `_CLEAN`)
        and has its `start()` method, if any, called there before the first request.

        `nice`: the CPU niceness of a worker, from its start (`nice_after_s` 0) or once its
        query has run `nice_after_s` seconds: a cheap query then pays no priority penalty, an
        expensive one yields the CPU as before, and its worker retires after the answer (an
        unprivileged process cannot lower its niceness again)."""
        self.size = size
        self._handler = handler
        self._memory_bytes = memory_bytes
        self._nice = nice
        self._nice_after_s = nice_after_s
        self._fork_lock = fork_lock
        self._prepare = prepare
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()  # idle and busy
        self._count = 0  # workers alive or being forked, idle or busy
        self._generation = 0
        self._closed = False
        # Coroutines of run_async waiting for a worker (the threads wait on _cond).
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def _notify(self, every: bool = False) -> None:
        """A worker came free (or the pool changed): wake a waiting thread and a waiting
        coroutine (whichever takes it; the other waits again). The caller holds _cond."""
        if every:
            self._cond.notify_all()
        else:
            self._cond.notify()
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                with contextlib.suppress(RuntimeError):  # its loop is closed
                    waiter.get_loop().call_soon_threadsafe(_wake, waiter)
                if not every:
                    return

    def _fork(self) -> _Worker:
        with self._fork_lock:
            handler = self._handler if self._prepare is None else self._prepare()
            ctx: Any = _ctx if self._prepare is None else _CLEAN
            parent_conn, child_conn = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=_worker_main,
                args=(
                    handler,
                    child_conn,
                    self._memory_bytes,
                    0 if self._nice_after_s > 0 else self._nice,
                ),
                daemon=True,
            )
            process.start()
            child_conn.close()
            worker = _Worker(process, parent_conn, self._generation, handler)
            with self._cond:
                self._live.add(worker)
            return worker

    def handlers(self) -> list[Handler]:
        """The handlers of the workers alive now, idle or busy (what they still read)."""
        with self._cond:
            return [w.handler for w in self._live if w.process.is_alive()]

    def _stop(self, worker: _Worker) -> None:
        worker.stop()
        with self._cond:
            self._live.discard(worker)

    def start(self) -> None:
        """Fork the workers now, so that the first queries do not pay for it."""
        workers = []
        with self._cond:
            need = self.size - self._count
            self._count += need
        for _ in range(need):
            workers.append(self._fork())
        with self._cond:
            self._idle.extend(workers)
            self._notify(every=True)

    def renew(self) -> None:
        """After a committed write: retire the workers that hold the old data.

        New workers are forked by the next query that needs one, not here: a load writes
        hundreds of documents in a row, and forking after each write dominated its time.
        Busy workers finish their query on the old snapshot and are retired when they return.
        The caller holds the fork lock (the store's write lock).
        """
        with self._cond:
            self._generation += 1
            stale, self._idle = self._idle, []
            self._count -= len(stale)
        for worker in stale:
            self._stop(worker)

    def _acquire(self, deadline: float | None) -> _Worker:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        raise StoreError("The store is closed.")
                    if self._idle:
                        worker = self._idle.pop()
                        if worker.generation == self._generation and worker.process.is_alive():
                            return worker
                        self._count -= 1
                        self._stop(worker)
                        continue
                    if self._count < self.size:
                        self._count += 1
                        break
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        raise self._all_busy()
                    self._cond.wait(remaining)
            try:
                return self._fork()
            except Exception:
                with self._cond:
                    self._count -= 1
                raise

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed or worker.generation != self._generation:
                self._count -= 1
                retire = True
            else:
                self._idle.append(worker)
                retire = False
            self._notify()
        if retire:
            self._stop(worker)

    def _discard(self, worker: _Worker) -> None:
        self._stop(worker)
        with self._cond:
            self._count -= 1
            self._notify()

    def run(self, request: Any, timeout_s: float | None) -> Any:
        """Run `request` in a worker; kill the worker if it is not done by the deadline.

        Raises:
            QueryTimeout: the deadline passed; the worker was killed and will be replaced.
            StoreError: the worker died (e.g. the engine crashed on this query).
            CcmKgError: whatever the handler raised, re-raised here with its message.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        worker = self._acquire(deadline)
        try:
            cpu_before = worker.cpu_seconds() if self._watches_cpu else 0.0
            worker.conn.send(request)
            self._lower_if_long(worker, deadline, cpu_before)
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not worker.conn.poll(remaining):
                raise self._timed_out(worker, timeout_s)
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died(worker) from exc
        return self._answer(worker, reply)

    async def run_async(self, request: Any, timeout_s: float | None) -> Any:
        """`run` for an asyncio event loop: the same limits and errors, without a thread.

        The loop waits on the worker's pipe (`add_reader`) instead of a thread blocking on it:
        per /sparql request that saves the hand-over to a thread and back (measured: ~0.5 ms of
        the server's CPU of ~1.1). Waiting for a busy worker happens on the loop too; only a
        fork runs in a thread (it waits for the store's write lock). Sending the request and
        reading the answer block the loop for as long as the pipe takes to carry them (the
        worker has the whole answer in hand when it starts writing). If the caller is
        cancelled, the worker is killed (it would answer a question nobody asks any more).
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        worker = await self._acquire_async(deadline)
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = worker.conn.fileno()
        try:
            cpu_before = worker.cpu_seconds() if self._watches_cpu else 0.0
            worker.conn.send(request)
            loop.add_reader(fd, _wake, readable)
            try:
                await self._lower_if_long_async(worker, deadline, cpu_before, readable)
                remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
                await asyncio.wait([readable], timeout=remaining)
            finally:
                loop.remove_reader(fd)
                # uvloop (libuv) leaves a watched descriptor non-blocking: `recv` below, and
                # `run` in a thread, expect the pipe blocking (else a large answer, read before
                # the worker wrote all of it, fails as if the worker had died).
                os.set_blocking(fd, True)
            if not readable.done():
                raise self._timed_out(worker, timeout_s)
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._died(worker) from exc
        except asyncio.CancelledError:
            self._discard(worker)
            raise
        return self._answer(worker, reply)

    async def _acquire_async(self, deadline: float | None) -> _Worker:
        """`_acquire` on the event loop: an idle worker, else wait for one without a thread;
        a fork (it waits for the store's write lock) happens in a thread."""
        while True:
            with self._cond:  # one step: a worker given back in between cannot be missed
                worker = self._take_idle()
                if worker is not None:
                    return worker
                if self._closed:
                    raise StoreError("The store is closed.")
                fork = self._count < self.size
                remaining = None if deadline is None else deadline - time.monotonic()
                if fork:
                    self._count += 1
                elif remaining is not None and remaining <= 0:
                    raise self._all_busy()
                else:
                    waiter = asyncio.get_running_loop().create_future()
                    self._waiters.append(waiter)
            if fork:
                return await self._fork_async()
            try:
                await asyncio.wait([waiter], timeout=remaining)
            except asyncio.CancelledError:
                with self._cond:  # pass on a wake-up it may have taken
                    self._notify()
                raise
            finally:
                waiter.cancel()  # a waiter left behind is skipped, its loop may be gone

    async def _fork_async(self) -> _Worker:
        """Fork in a thread, for a slot already counted; if the caller is cancelled meanwhile,
        the worker forked goes to the idle ones."""
        forking = asyncio.ensure_future(asyncio.to_thread(self._fork))
        try:
            return await asyncio.shield(forking)
        except asyncio.CancelledError:
            forking.add_done_callback(self._give_back)
            raise
        except Exception:
            with self._cond:
                self._count -= 1
                self._notify()
            raise

    def _give_back(self, forked: asyncio.Future[_Worker]) -> None:
        if forked.cancelled() or forked.exception() is not None:
            with self._cond:
                self._count -= 1
                self._notify()
        else:
            self._release(forked.result())

    @property
    def _watches_cpu(self) -> bool:
        return bool(self._nice) and self._nice_after_s > 0

    def _take_idle(self) -> _Worker | None:
        """An idle worker of the current data, or None (never waits, never forks)."""
        with self._cond:
            while self._idle and not self._closed:
                worker = self._idle.pop()
                if worker.generation == self._generation and worker.process.is_alive():
                    return worker
                self._count -= 1
                self._stop(worker)
                self._notify()
        return None

    def _all_busy(self) -> QueryTimeout:
        return QueryTimeout(
            f"All {self.size} query workers stayed busy until the time limit.",
            hint="Retry later; the server is answering other long queries.",
        )

    def _timed_out(self, worker: _Worker, timeout_s: float | None) -> QueryTimeout:
        self._discard(worker)
        log.warning("query stopped at its time limit of %s s", timeout_s)
        return QueryTimeout(
            f"The query ran longer than the time limit of {timeout_s:g} s and was stopped.",
            hint="Narrow the query (more specific patterns, LIMIT) or use a named query.",
        )

    def _died(self, worker: _Worker) -> CcmKgError:
        self._discard(worker)
        cause = death_cause(worker.process.exitcode)
        log.error("query worker died (%s, exit %s)", cause, worker.process.exitcode)
        if cause == "memory":
            return self._memory_error()
        return StoreError(
            "The query worker stopped unexpectedly while running this query.",
            hint="The query may trigger an engine fault; the server keeps serving.",
        )

    def _answer(self, worker: _Worker, reply: tuple[Any, ...]) -> Any:
        """Give the worker back (or retire it) and return its answer or raise its error."""
        if reply[0] == "mem" or (reply[0] == "ok" and reply[2]) or worker.niced:
            self._discard(worker)  # it exits (or is reniced for good); a fresh fork starts small
        else:
            self._release(worker)
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "mem":
            raise self._memory_error()
        _raise_reply(reply)

    @property
    def generation(self) -> int:
        """Bumped by every `renew` (every committed write): a key for caches of the data."""
        return self._generation

    def _lower_if_long(self, worker: _Worker, deadline: float | None, cpu_before: float) -> None:
        """Renice the worker once its query has used `nice_after_s` of CPU (see __init__).

        CPU time, not time on the clock: on a busy machine a cheap query waits for a core
        longer than it runs, and lowering it (then retiring its worker, which a fresh one
        replaces at the cost of a start and, for a small store, a copy into memory) would
        punish it for the others' load. The clock only says when to look.
        """
        pid = worker.process.pid
        if not self._nice or self._nice_after_s <= 0 or pid is None:
            return
        spent = 0.0
        while True:
            wait = self._nice_after_s - spent  # it cannot use more CPU than time passes
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
            if wait <= 0 or worker.conn.poll(wait):
                return  # answered, or the caller stops it at its deadline
            try:
                spent = worker.cpu_seconds() - cpu_before
            except OSError:
                return  # it has just exited: the caller reads why
            if spent >= self._nice_after_s:
                break
        self._renice(worker, pid)

    def _renice(self, worker: _Worker, pid: int) -> None:
        with contextlib.suppress(OSError):  # it may have just exited
            os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, pid) + self._nice)
            worker.niced = True

    async def _lower_if_long_async(
        self,
        worker: _Worker,
        deadline: float | None,
        cpu_before: float,
        answered: asyncio.Future[None],
    ) -> None:
        """`_lower_if_long` for `run_async`: the same rule, waiting on the loop."""
        pid = worker.process.pid
        if not self._watches_cpu or pid is None:
            return
        spent = 0.0
        while True:
            wait = self._nice_after_s - spent
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                return
            await asyncio.wait([answered], timeout=wait)
            if answered.done():
                return
            try:
                spent = worker.cpu_seconds() - cpu_before
            except OSError:
                return
            if spent >= self._nice_after_s:
                break
        self._renice(worker, pid)

    def _memory_error(self) -> QueryMemoryLimit:
        limit = "" if self._memory_bytes is None else f" of {self._memory_bytes // 2**20} MB"
        return QueryMemoryLimit(
            f"The query needed more than the memory limit{limit} of a query worker and was "
            "stopped (CCMKG_QUERY_MEMORY_MB).",
            hint="Narrow the query: fewer joined patterns, a LIMIT, no ORDER BY over a large "
            "result, shorter computed strings.",
        )

    def close(self) -> None:
        """Kill every worker; later calls to `run` fail with StoreError."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._notify(every=True)
        for worker in idle:
            self._stop(worker)


# --- one job in a one-shot child ------------------------------------------------------------

Ask = Callable[[Any], Any]


class IsolatedTimeout(Exception):
    """The job ran past its deadline; its process was killed."""


class IsolatedMemory(Exception):
    """The job needed more memory than it was allowed; its process failed or died."""


class IsolatedCrash(Exception):
    """The job's process died on its own (a segmentation fault: e.g. a parser's recursion)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the isolated process died (exit status {exitcode})")
        self.exitcode = exitcode


def _isolated_main(job: Callable[[Ask], Any], conn: Connection, memory_bytes: int | None) -> None:
    _enter_child(conn.fileno())
    _limit_memory(memory_bytes)

    def ask(question: Any) -> Any:
        conn.send(("ask", question))
        return conn.recv()

    try:
        reply: tuple[Any, ...] = ("ok", job(ask))
    except Exception as exc:
        if isinstance(exc, CcmKgError | MemoryError):
            reply = _error_reply(exc)
        else:
            reply = _error_reply(StoreError(f"The job failed: {type(exc).__name__}: {exc}"))
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("mem",))
    except OSError:
        pass
    os._exit(0)


def run_isolated(
    job: Callable[[Ask], Any],
    *,
    timeout_s: float,
    memory_bytes: int | None,
    answer: Callable[[Any], Any] | None = None,
) -> Any:
    """Run `job(ask)` in a forked child bounded in time and memory; return what it returns.

    The child inherits everything in memory (no pickling of inputs); it touches no socket or
    file of ours (they are closed). `ask(q)` in the child sends `q` to the parent, which
    replies `answer(q)` (e.g. a store query the child must not run itself). The deadline
    covers the whole conversation. Whatever happens in the child, the caller's process lives.

    Raises:
        IsolatedTimeout / IsolatedMemory / IsolatedCrash: the child was stopped or died.
        CcmKgError: what the job raised, re-raised here with its message.
    """
    parent_conn, child_conn = _ctx.Pipe(duplex=True)
    process = _ctx.Process(target=_isolated_main, args=(job, child_conn, memory_bytes), daemon=True)
    process.start()
    child_conn.close()
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not parent_conn.poll(remaining):
                raise IsolatedTimeout(f"no answer within {timeout_s:g} s")
            try:
                message = parent_conn.recv()
            except (EOFError, OSError):
                process.join(timeout=5)
                if death_cause(process.exitcode) == "memory":
                    raise IsolatedMemory("the process died for want of memory") from None
                raise IsolatedCrash(process.exitcode) from None
            if message[0] == "ask":
                if answer is None:
                    raise RuntimeError("the isolated job asked a question nobody answers")
                parent_conn.send(answer(message[1]))
            elif message[0] == "ok":
                return message[1]
            elif message[0] == "mem":
                raise IsolatedMemory("an allocation failed")
            else:
                _raise_reply(message)
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent_conn.close()


def trim_memory() -> None:
    """Ask the C allocator to give freed memory back to the system (glibc; else nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
