"""A 413 sent before the body was read still reaches a client that goes on sending its body.

Closing a socket with unread bytes makes the kernel answer with a reset, which can destroy the
413 in the client's receive buffer before it is read. The server ends its side first and
drops the rest of the body for a moment (a lingering close, RFC 9112 §9.6).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from ccmkg.settings import Settings
from devtools.server import serve_app

CHUNK = b"x" * 65_536
PIECES = 40


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    settings = Settings(store=str(tmp_path_factory.mktemp("linger") / "s"), max_query_bytes=1000)
    with serve_app(settings) as base:
        parts = urlsplit(base)
        yield str(parts.hostname), int(parts.port or 80)


def _send_body_then_read(address: tuple[str, int], head: bytes, piece: bytes) -> bytes:
    """Send `head` and one piece, wait for the server to answer, send more pieces, read to EOF."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head + piece)
        time.sleep(0.3)  # the 413 is sent and the server closes meanwhile
        for _ in range(PIECES - 1):
            sock.sendall(piece)
        answer = b""
        while chunk := sock.recv(65_536):
            answer += chunk
        return answer


CHUNKED = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"


@pytest.mark.parametrize(
    ("framing", "piece"),
    [(f"Content-Length: {PIECES * len(CHUNK)}".encode(), CHUNK),
     (b"Transfer-Encoding: chunked", CHUNKED)],
    ids=["declared", "streamed"],
)  # fmt: skip
def test_the_413_survives_a_client_still_sending(
    address: tuple[str, int], framing: bytes, piece: bytes
) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        + framing
        + b"\r\n\r\n"
    )
    answer = _send_body_then_read(address, head, piece)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"CCMKG_MAX_QUERY_BYTES" in answer


def test_the_server_still_serves_after_a_lingering_close(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65_536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
