"""The uvicorn configuration the app is served with: connection timeouts included.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but a connection that
sends nothing, or only part of its request headers, is kept open for ever: a few hundred of
them hold every file descriptor of the server. The guarded protocols close a connection whose
request headers are not complete CCMKG_HEADER_TIMEOUT_S after it opened (or after the previous
response); the body is bounded in time by the BodyLimits middleware (CCMKG_BODY_TIMEOUT_S).

A response sent before the request body was read (a 413) is followed by a lingering close
(RFC 9112 §9.6): closing a socket with unread bytes makes the kernel send a reset, and the
client, still writing its body, may see "connection reset" instead of our 413. uvicorn has no
such option, hence `LingeringTransport` (for both protocols below).

The server parses HTTP with httptools (llhttp, in C): h11, in pure Python, cost the server
~0.1 ms of CPU more per request, as much as the rest of a small /sparql answer. llhttp does
not bound the request line and headers, so `GuardedHttpToolsProtocol` does: 64 KB, past which
uvicorn answers 400 (httptools cannot parse a longer URL anyway; h11 refused 16 KB that did
not come in one read). A longer query is POSTed. `GuardedH11Protocol` stays for
`parser="h11"`.

The event loop is uvloop (libuv, in C) where it is installed (a dependency; uvicorn's "auto"
picks it): against asyncio's it cut the server process's CPU per /sparql request on the corpus
from 1.31–1.57 ms to 0.96–1.06 ms (one client; with 4, uvloop answered 1.13× the requests:
docs/decisions/store.md).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any, cast

import h11
import httptools
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ccmkg.api.heap import settle_heap
from ccmkg.settings import Settings

log = logging.getLogger("ccmkg.api")

LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


class LingeringTransport:
    """The connection's transport, except that closing it while the client is still sending
    its body first ends our side (FIN after the response) and reads on, dropping what comes,
    until the client closes, LINGER_SECONDS pass or LINGER_BYTES arrive."""

    def __init__(
        self, real: asyncio.Transport, loop: asyncio.AbstractEventLoop, sending: Callable[[], bool]
    ) -> None:
        self._real = real
        self._loop = loop
        self._client_sending = sending  # the client is in the middle of a request body
        self.lingering = False
        self._dropped = 0
        self._timer: asyncio.TimerHandle | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def is_closing(self) -> bool:
        return self.lingering or self._real.is_closing()

    def close(self) -> None:
        if self.is_closing():
            return
        if not (self._client_sending() and self._real.can_write_eof()):
            self._real.close()
            return
        self.lingering = True
        self._real.write_eof()
        self._timer = self._loop.call_later(LINGER_SECONDS, self._real.close)

    def drop(self, data: bytes) -> None:
        """Bytes that arrived while lingering: counted, never parsed."""
        self._dropped += len(data)
        if self._dropped > LINGER_BYTES:
            self._real.close()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class HeaderDeadline:
    """The request line and headers of each request are due `header_timeout_s` after the
    connection opened (or the previous response ended); past it the connection is closed. The
    connection closes by lingering (`LingeringTransport`). Mixed into both uvicorn protocols,
    which say when they are waiting for headers and when the client is sending a body."""

    header_timeout_s = 10.0
    _header_timer: asyncio.TimerHandle | None = None
    _lingering_transport: LingeringTransport
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _awaiting_headers(self) -> bool:
        raise NotImplementedError

    def _client_sending(self) -> bool:
        """Whether the client is still sending a request body (a close then lingers)."""
        raise NotImplementedError

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        stream = cast(asyncio.Transport, transport)  # uvicorn's protocols serve streams
        _no_delay(stream)
        self._lingering_transport = LingeringTransport(stream, self.loop, self._client_sending)
        super().connection_made(self._lingering_transport)  # type: ignore[misc]
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._lingering_transport.lingering:
            self._lingering_transport.drop(data)
            return
        super().data_received(data)  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._lingering_transport.cancel()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            log.info("closing a connection that sent no complete request headers in %g s",
                     self.header_timeout_s)  # fmt: skip
            self.transport.close()


class GuardedH11Protocol(HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request line and headers."""

    def data_received(self, data: bytes) -> None:
        if self._lingering_transport.lingering:
            self._lingering_transport.drop(data)
            return
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm_header_timer()  # the headers of a request are still incomplete
        else:
            self._cancel_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_timer()

    def _awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def _client_sending(self) -> bool:
        return self.conn.their_state is h11.SEND_BODY


class HeadersTooLarge(httptools.HttpParserError):
    """The request line and headers passed their bound: uvicorn answers 400 and closes."""


MAX_HEADER_BYTES = 64 * 1024  # request line and headers, counted as the parser reads them


class GuardedHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):
    """uvicorn's httptools protocol with the deadline and the lingering close of
    `GuardedH11Protocol`, and a size bound for the request line and headers."""

    max_header_bytes = MAX_HEADER_BYTES
    _header_bytes = 0

    def _client_sending(self) -> bool:
        return self.cycle is not None and self.cycle.more_body

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._arm_header_timer()  # a pipelined request's headers are due in time too

    def on_url(self, url: bytes) -> None:
        self._count_header_bytes(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()

    def _awaiting_headers(self) -> bool:
        return True  # the timer runs only between a message's begin and its headers' end

    def _count_header_bytes(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes:
            raise HeadersTooLarge(f"request line and headers over {self.max_header_bytes} bytes")


PARSERS: dict[str, type[asyncio.Protocol]] = {
    "httptools": GuardedHttpToolsProtocol,
    "h11": GuardedH11Protocol,
}


def _no_delay(transport: asyncio.Transport) -> None:
    """Send each write at once (TCP_NODELAY), whichever socket the server was started on.

    Why: asyncio sets TCP_NODELAY only on sockets whose `proto` is IPPROTO_TCP, and a socket
    made by `socket.socket(AF_INET, SOCK_STREAM)` and handed to uvicorn (`sockets=`: the tests'
    `serve_app`, `devtools.serve_child`) has proto 0, as have the connections it accepts. uvicorn
    writes a response's head and body apart, so the body waited for the client's delayed
    acknowledgement of the head, 40 ms on Linux: measured, every request to such a server took
    44 ms, /health included, and 0.7 ms with this option.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def server_config(
    app: Any, settings: Settings, parser: str = "httptools", **kw: Any
) -> uvicorn.Config:
    """uvicorn.Config for `app` with the connection timeouts of `settings`; `kw` overrides."""
    base = PARSERS[parser]
    protocol = type(base.__name__, (base,), {"header_timeout_s": settings.header_timeout_s})
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "http": protocol,
        "timeout_keep_alive": settings.keep_alive_timeout_s,
        "timeout_graceful_shutdown": 5,
    }
    options.update(kw)
    return uvicorn.Config(app, **options)


class ServingServer(uvicorn.Server):
    """uvicorn's server, which settles the process's heap once the app has started (its
    lifespan: store opened, catalogue parsed): see api/heap.py. For a process of its own only:
    the collector settings are the whole process's."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        settle_heap()


def serve(app: Any, settings: Settings, sockets: list[socket.socket] | None = None) -> None:
    """Run `app` under uvicorn on settings.host:settings.port (or on `sockets`) until stopped."""
    ServingServer(server_config(app, settings)).run(sockets=sockets)
