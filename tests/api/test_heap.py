"""The server process settles its heap once the app has started (api/heap.py): what the app
made at startup is frozen (no full collection walks it again), and the collector runs with the
server's thresholds. In a process of its own, as `ccmkg serve` runs, asked over HTTP."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from ccmkg.api import heap

ROOT = Path(__file__).resolve().parents[2]

# A minimal app served by ServingServer: its lifespan keeps a list (a tracked object) made at
# startup; GET /gc says whether the collector still walks it, and the collector's settings.
SERVER = textwrap.dedent(
    """
    import gc, socket, sys
    from contextlib import asynccontextmanager
    from fastapi import FastAPI
    from ccmkg.api.serving import ServingServer, server_config
    from ccmkg.settings import Settings

    made_at_startup = []

    @asynccontextmanager
    async def lifespan(app):
        made_at_startup.append([object()])
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/gc")
    def state():
        walked = {id(o) for o in gc.get_objects()}
        return {
            "startup_object_walked": id(made_at_startup[0]) in walked,
            "frozen": gc.get_freeze_count(),
            "threshold": list(gc.get_threshold()),
        }

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    ServingServer(server_config(app, Settings(), log_level="warning")).run(sockets=[sock])
    """
)


def test_the_server_process_freezes_its_startup_heap_and_sets_its_thresholds() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        for _ in range(100):  # the socket is bound before the server accepts on it
            try:
                state = httpx.get(f"http://127.0.0.1:{port}/gc", timeout=5).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert state["startup_object_walked"] is False
    assert state["frozen"] > 0
    assert state["threshold"] == [heap.YOUNG_THRESHOLD, heap.MIDDLE_THRESHOLD, heap.OLD_THRESHOLD]
