"""The process side of a /sparql worker (muxpool.py): requests run in threads, answers by id.

The main thread reads (id, request) from the pipe and hands it to one of `threads` threads; a
thread runs the handler (the query and its writer: pyoxigraph releases the interpreter lock
while it evaluates) and sends (id, reply, retire) under a lock. `retire` asks the server to
give the worker no new request and stop it after its last answer: a failed allocation, memory
grown past the rules of workers.py, or a thread lowered in priority. The priority rule is
applied here, per thread (Linux niceness is per thread): a watcher thread reads each running
query's thread CPU clock. Background work of the handler (a slice of the copy of a small store
into memory) runs only while no request runs or waits.
"""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ccmkg.store.workers import (
    PRIVATE_CHECK_AFTER_S,
    RETIRE_GROWTH_BYTES,
    RETIRE_PRIVATE_BYTES,
    Handler,
    _enter_child,
    _error_reply,
    _limit_memory,
    _memory,
    _private_bytes,
)

# How often a worker's watcher looks at the CPU its running queries have used (seconds).
WATCH_EVERY_S = 0.05


@dataclass
class _Running:
    """A request a worker thread is running: what the watcher needs to renice its thread."""

    tid: int
    clock: int
    cpu_at_start: float
    niced: bool = False


class _Child:
    """The state of one worker process: its threads, its pipe, its retirement rules."""

    def __init__(
        self, handler: Handler, conn: Connection, threads: int, nice: int, nice_after_s: float
    ) -> None:
        """Starts the `threads` threads (and the watcher of the priority rule, if there is
        one) and waits until each has taken its memory (see `_serve`)."""
        self.handler = handler
        self.nice = nice
        self.nice_after_s = nice_after_s
        self.conn = conn
        self.send_lock = threading.Lock()
        self.jobs: queue.SimpleQueue[tuple[int, Any] | None] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.started = threading.Condition(self.lock)  # a query began: the watcher wakes
        self.inflight = 0
        self.running: dict[int, _Running] = {}
        self.start_rss = _memory()[1]
        self.start_private = _private_bytes()
        watch = bool(nice) and nice_after_s > 0
        ready = threading.Barrier(threads + 1 + watch)
        for _ in range(threads):
            threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if watch:
            threading.Thread(target=self._watch, args=(ready,), daemon=True).start()
        ready.wait()

    def counted_from_now(self) -> None:
        """The retirement rules count from what the worker holds now (e.g. its copy built)."""
        self.start_rss = _memory()[1]
        self.start_private = _private_bytes()

    def _serve(self, ready: threading.Barrier) -> None:
        # Each thread takes its malloc arena now, before the memory limit is set: a query's
        # first allocation in a new thread would otherwise reserve 64 MB of address space.
        bytearray(1 << 20)
        ready.wait()
        while True:
            job = self.jobs.get()
            if job is None:
                return
            rid, request = job
            self._one(rid, request)

    def _one(self, rid: int, request: Any) -> None:
        began = time.monotonic()
        clock = time.pthread_getcpuclockid(threading.get_ident())
        entry = _Running(threading.get_native_id(), clock, time.clock_gettime(clock))
        with self.lock:
            self.running[rid] = entry
            self.started.notify()
        try:
            reply: tuple[Any, ...] = ("ok", self.handler(request))
        except Exception as exc:  # MemoryError is an Exception too
            reply = _error_reply(exc)
        finally:
            with self.lock:
                self.running.pop(rid, None)
        retire = reply[0] == "mem" or entry.niced or self._grew(began)
        try:
            with self.send_lock:
                try:
                    self.conn.send((rid, reply, retire))
                except MemoryError:
                    self.conn.send((rid, ("mem",), True))
        except (BrokenPipeError, OSError):
            os._exit(0)
        with self.lock:
            self.inflight -= 1

    def _grew(self, began: float) -> bool:
        """A worker that grew a lot (or made many inherited pages its own) retires."""
        if _memory()[1] - self.start_rss > RETIRE_GROWTH_BYTES:
            return True
        if time.monotonic() - began > PRIVATE_CHECK_AFTER_S:
            return _private_bytes() - self.start_private > RETIRE_PRIVATE_BYTES
        return False

    def _watch(self, ready: threading.Barrier) -> None:
        """Renice the thread of a query that has used `nice_after_s` of CPU (a thread)."""
        bytearray(1 << 20)  # its malloc arena, as in _serve
        ready.wait()
        nice, after_s = self.nice, self.nice_after_s
        while True:
            with self.lock:  # an idle worker's watcher sleeps until a query begins
                self.started.wait_for(lambda: bool(self.running))
            time.sleep(min(WATCH_EVERY_S, after_s / 2))
            # Under the lock: a query whose thread is lowered is still running, so its answer
            # says the worker retires (its thread cannot be raised again).
            with self.lock:
                for entry in self.running.values():
                    if entry.niced:
                        continue
                    with contextlib.suppress(OSError):
                        if time.clock_gettime(entry.clock) - entry.cpu_at_start >= after_s:
                            prio = os.getpriority(os.PRIO_PROCESS, entry.tid)
                            os.setpriority(os.PRIO_PROCESS, entry.tid, prio + nice)
                            entry.niced = True

    def idle(self) -> bool:
        with self.lock:
            return self.inflight == 0


def mux_worker_main(
    handler: Handler,
    conn: Connection,
    memory_bytes: int | None,
    threads: int,
    nice: int,
    nice_after_s: float,
) -> None:
    """Child loop: read (id, request), hand it to a thread; background work while idle."""
    _enter_child(conn.fileno(), nice if nice_after_s <= 0 else 0)
    gc.freeze()  # see workers._worker_main: the inherited objects are never collected here
    start = getattr(handler, "start", None)
    if start is not None:
        start()
    background = getattr(handler, "background", None)
    child = _Child(handler, conn, threads, nice, nice_after_s)
    _limit_memory(memory_bytes)
    child.counted_from_now()
    while True:
        # Background work (a slice of the copy into memory) only while no request runs or
        # waits: it holds the interpreter lock, and it replaces the store the threads read.
        if background is not None and not conn.poll(0):
            if not child.idle():
                conn.poll(0.05)  # requests are running: look again for idleness soon
                continue
            more = background()
            if more is False:
                background = None
                _limit_memory(memory_bytes)
                child.counted_from_now()
            if more is not None:
                continue
            conn.poll(None)  # nothing to do before the next request
        try:
            rid, request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        with child.lock:
            child.inflight += 1
        child.jobs.put((rid, request))
