"""A real `oxigraph serve` process for the remote-store tests (never a mock)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from devtools.server import free_port

START_TIMEOUT_S = 30.0


def oxigraph_binary() -> Path:
    """The `oxigraph` server installed next to this Python (the `oxigraph` PyPI package).

    Raises:
        RuntimeError: it is not installed; install the test extra, `pip install -e '.[test]'`.
    """
    here = Path(sys.executable).parent / "oxigraph"
    found = here if here.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError(
            "The `oxigraph` server is not installed; run `pip install -e '.[test]'` "
            "(package `oxigraph`)."
        )
    return Path(found)


@contextmanager
def oxigraph_server(location: Path, *, timeout_s: float | None = None) -> Iterator[str]:
    """Start `oxigraph serve` (plain default graph: our writes keep it the union).

    Yields its base URL; stops it on exit.
    """
    last_error = ""
    for _attempt in range(3):  # the port may be taken between choosing and binding it
        port = free_port()
        cmd = [
            str(oxigraph_binary()),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        if timeout_s is not None:
            cmd += ["--timeout-s", str(timeout_s)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        if _wait_ready(proc, base):
            try:
                yield base
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                if proc.stderr:
                    proc.stderr.close()
            return
        proc.kill()
        _, err = proc.communicate()
        last_error = err.decode("utf-8", "replace")[-2000:]
    raise RuntimeError(f"oxigraph serve did not start: {last_error}")


def _wait_ready(proc: subprocess.Popen[bytes], base: str) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            r = httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
            if r.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return False
