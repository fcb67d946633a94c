"""serve_app: the real FastAPI app under uvicorn on a free 127.0.0.1 port, for HTTP tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from ccmkg.api.main import create_app
from ccmkg.api.serving import server_config
from ccmkg.settings import Settings
from ccmkg.store import Store

START_TIMEOUT_S = 30.0


def free_port() -> int:
    """A port that was free a moment ago (prefer passing a bound socket where possible)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(settings: Settings, store: Store | None = None) -> Iterator[str]:
    """Run create_app(settings, store) in a background thread; yields its base URL.

    Raises:
        RuntimeError: the server did not start (e.g. the store could not be opened).
    """
    with serve_instance(create_app(settings, store)) as base:
        yield base


@contextmanager
def serve_instance(app: FastAPI, *, log_level: str = "warning") -> Iterator[str]:
    """Run an app under uvicorn in a background thread; yields its base URL.

    The listening socket is bound here (port 0) and handed to uvicorn, so there is no race
    for the port. The server is shut down and its thread joined on exit. `log_level="info"`
    with the root logger's handlers lets a test read what the server logs.

    Raises:
        RuntimeError: the server did not start.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    log_config = None if log_level == "info" else uvicorn.config.LOGGING_CONFIG
    # The production configuration (our h11 protocol: header deadline, lingering close) when
    # the app carries its settings, so that tests see what `ccmkg serve` serves.
    settings = getattr(app.state, "settings", None)
    options = {"log_level": log_level, "log_config": log_config, "lifespan": "on"}
    if isinstance(settings, Settings):
        config = server_config(app, settings, **options)
    else:
        config = uvicorn.Config(app, timeout_graceful_shutdown=5, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the app server did not start; see the log above")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
