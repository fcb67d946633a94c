"""Live servers for the reliability tests and benches: in-process, in a child process, or Oxigraph.

Everything binds 127.0.0.1 only, waits a bounded time, and is stopped on exit. Used by the tests
in tests/reliability/ and by the scripts in bench/ (load_test, faults, fuzz_api).
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from ccmkg.api.main import create_app
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.server import serve_instance

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 60.0
TOKEN = "rel-test-token-5f1d2c9a7b"  # a test secret: it must never appear in a log


def build_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The production app (create_app installs the security middleware itself)."""
    return create_app(settings, store)


def load_corpus(store_dir: Path) -> dict[str, int]:
    """Load the bundled corpus into an embedded store at `store_dir`; its graphs → counts."""
    from ccmkg.loaders.pipeline import load_paths

    settings = Settings(store=str(store_dir))
    store = open_store(settings)
    try:
        report = load_paths(store, settings, corpus_files())
        assert report.ok, [r.reason for r in report.rejected]
        return store.graphs()
    finally:
        store.close()


def copy_store(template: Path, target: Path) -> Path:
    """A private copy of a closed embedded store directory."""
    shutil.copytree(template, target)
    return target


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Run `app` under uvicorn in a thread, logging through the root logger (tests read it)."""
    with serve_instance(app, log_level="info") as base:
        yield base


@dataclass
class AppProcess:
    """A server in its own process (`python -m devtools.serve_child`), log to a file."""

    proc: subprocess.Popen[bytes]
    base: str
    log_path: Path

    def kill9(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_app_process(
    env: dict[str, str], log_path: Path, *, log_level: str = "info"
) -> AppProcess:
    """Start the real app in a child process with CCMKG_* settings in `env`; wait until ready.

    Raises:
        RuntimeError: it did not answer /health in time (its log is in the message).
    """
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CCMKG_")}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(ROOT)
    full_env["REL_LOG_LEVEL"] = log_level
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "devtools.serve_child"],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    log.close()
    assert proc.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    port = None
    while port is None and time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline().decode()
            if line.startswith("PORT "):
                port = int(line.split()[1])
    app = AppProcess(proc, f"http://127.0.0.1:{port}", log_path)
    while port is not None and time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{app.base}/health", timeout=5).status_code == 200:
                return app
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    app.kill9()
    raise RuntimeError(f"the app process did not start:\n{app.log()[-3000:]}")


@contextmanager
def app_process(env: dict[str, str], log_path: Path, **kw: str) -> Iterator[AppProcess]:
    app = start_app_process(env, log_path, **kw)
    try:
        yield app
    finally:
        app.stop()


@dataclass
class OxigraphProcess:
    """`oxigraph serve` on a fixed port, so that it can be stopped and started again there."""

    location: Path
    port: int
    timeout_s: float | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from devtools.oxigraph import oxigraph_binary

        self.location.mkdir(parents=True, exist_ok=True)
        cmd = [str(oxigraph_binary()), "serve", "--location", str(self.location),
               "--bind", f"127.0.0.1:{self.port}"]  # fmt: skip
        if self.timeout_s is not None:
            cmd += ["--timeout-s", str(self.timeout_s)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                r = httpx.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=2)
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill9()
        raise RuntimeError("oxigraph serve did not start")

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=30)


class OutboundSentinel:
    """A listening socket on 127.0.0.1: any connection to it proves an outbound request.

    Hostile inputs name `url`; after them, `connections()` must be 0. The socket never
    answers, so nothing the server could fetch ever arrives.
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.accepted = 0

    def connections(self, wait_s: float = 0.2) -> int:
        """Connections accepted so far (waits `wait_s` for late ones)."""
        end = time.monotonic() + wait_s
        while True:
            ready, _, _ = select.select([self.sock], [], [], max(end - time.monotonic(), 0))
            if not ready:
                return self.accepted
            try:
                conn, _ = self.sock.accept()
                conn.close()
                self.accepted += 1
            except BlockingIOError:
                pass

    def close(self) -> None:
        self.sock.close()
