"""A pool of forked query workers: the hard time limit for engines that cannot be cancelled.

pyoxigraph offers no way to stop a running query from Python. So queries that must finish
by a deadline run in a child process forked from the process that holds the in-memory store
(copy-on-write: the fork is instant and shares the data pages). At the deadline the child is
killed with SIGKILL and a fresh one is forked; the server itself never waits longer than the
limit. After every committed write the pool is renewed so that children see the new data.

Workers are forked only while the owner's write lock is held, so no child is ever born in the
middle of a write to the store it inherits.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ccmkg.errors import CcmKgError, QueryRejected, QueryTimeout, StoreError

log = logging.getLogger(__name__)

Handler = Callable[[Any], Any]

_ctx = multiprocessing.get_context("fork")


def _worker_main(handler: Handler, conn: Connection) -> None:
    """Child loop: receive a request, run it, send ("ok", value) or an error description."""
    # The parent may be a uvicorn server: its signal handlers and sockets must not live on here.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep = conn.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply: tuple[Any, ...] = ("ok", handler(request))
        except CcmKgError as exc:
            reply = ("err", type(exc), exc.message, exc.hint)
        except SyntaxError as exc:
            reply = ("err", QueryRejected, f"SPARQL syntax error: {exc}", "Check the query text.")
        except Exception as exc:
            reply = ("err", StoreError, f"The query failed: {type(exc).__name__}: {exc}", "")
        conn.send(reply)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int

    def stop(self) -> None:
        """SIGKILL: the child holds nothing that needs a clean shutdown."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Up to `size` forked workers; `run` gives each request a deadline it cannot outlive."""

    def __init__(self, size: int, handler: Handler, fork_lock: threading.RLock) -> None:
        self.size = size
        self._handler = handler
        self._fork_lock = fork_lock
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._count = 0  # workers alive or being forked, idle or busy
        self._generation = 0
        self._closed = False

    def _fork(self) -> _Worker:
        with self._fork_lock:
            parent_conn, child_conn = _ctx.Pipe(duplex=True)
            process = _ctx.Process(
                target=_worker_main, args=(self._handler, child_conn), daemon=True
            )
            process.start()
            child_conn.close()
            return _Worker(process, parent_conn, self._generation)

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
            self._cond.notify_all()

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
            worker.stop()

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
                        worker.stop()
                        continue
                    if self._count < self.size:
                        self._count += 1
                        break
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        raise QueryTimeout(
                            f"All {self.size} query workers stayed busy until the time limit.",
                            hint="Retry later; the server is answering other long queries.",
                        )
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
            self._cond.notify()
        if retire:
            worker.stop()

    def _discard(self, worker: _Worker) -> None:
        worker.stop()
        with self._cond:
            self._count -= 1
            self._cond.notify()

    def run(self, request: Any, timeout_s: float | None) -> Any:
        """Run `request` in a worker; kill the worker if it is not done by the deadline.

        Raises:
            QueryTimeout: the deadline passed; the worker was killed and will be replaced.
            StoreError: the worker died (e.g. the engine crashed on this query).
            CcmKgError: whatever the handler raised, re-raised here with its message.
        """
        start = time.monotonic()
        deadline = None if timeout_s is None else start + timeout_s
        worker = self._acquire(deadline)
        try:
            worker.conn.send(request)
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not worker.conn.poll(remaining):
                self._discard(worker)
                log.warning("query stopped at its time limit of %s s", timeout_s)
                raise QueryTimeout(
                    f"The query ran longer than the time limit of {timeout_s:g} s and was stopped.",
                    hint="Narrow the query (more specific patterns, LIMIT) or use a named query.",
                )
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._discard(worker)
            log.error("query worker died: %s", exc)
            raise StoreError(
                "The query worker stopped unexpectedly while running this query.",
                hint="The query may trigger an engine fault; the server keeps serving.",
            ) from exc
        self._release(worker)
        if reply[0] == "ok":
            return reply[1]
        _, cls, message, hint = reply
        raise cls(message, hint)

    def close(self) -> None:
        """Kill every worker; later calls to `run` fail with StoreError."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
