"""Every connection the server accepts sends at once (TCP_NODELAY), also when the server was
started on a socket handed to uvicorn, as `serve_app` does: asyncio leaves such connections
to Nagle's algorithm, and each response's body then waited 40 ms for the client's ACK."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from ccmkg.settings import Settings
from devtools.server import serve_app


def server_side_no_delay(port: int, client: tuple[str, int]) -> int | None:
    """TCP_NODELAY of this process's socket that accepted `client` on `port` (the server runs
    in a thread of the test process), or None when there is none."""
    for name in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:  # not a socket
            continue
        try:
            if (
                sock.family == socket.AF_INET
                and sock.getsockname()[1] == port
                and (sock.getpeername() == client)
            ):
                return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        except OSError:  # a listening socket: no peer
            pass
        finally:
            sock.close()
    return None


def test_a_connection_to_serve_app_is_not_delayed(tmp_path: Path) -> None:
    with serve_app(Settings(store=str(tmp_path / "store"))) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
            assert server_side_no_delay(port, client.getsockname()) not in (None, 0)


def test_asyncio_alone_leaves_such_a_socket_to_nagle() -> None:
    """Why the option is set by our protocol: a socket made as serve_app makes it has proto 0,
    and asyncio sets TCP_NODELAY only when proto is IPPROTO_TCP."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.proto != socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
