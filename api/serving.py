"""The uvicorn configuration the app is served with: connection timeouts included.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but a connection that
sends nothing, or only part of its request headers, is kept open for ever: a few hundred of
them hold every file descriptor of the server. `GuardedH11Protocol` closes a connection whose
request headers are not complete CCMKG_HEADER_TIMEOUT_S after it opened (or after the previous
response); the body is bounded in time by the BodyLimits middleware (CCMKG_BODY_TIMEOUT_S).

A response sent before the request body was read (a 413) is followed by a lingering close
(RFC 9112 §9.6): closing a socket with unread bytes makes the kernel send a reset, and the
client, still writing its body, may see "connection reset" instead of our 413. uvicorn has no
such option, hence `LingeringTransport`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ccmkg.settings import Settings

log = logging.getLogger("ccmkg.api")

LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


class LingeringTransport:
    """The connection's transport, except that closing it while the client is still sending
    its body first ends our side (FIN after the response) and reads on, dropping what comes,
    until the client closes, LINGER_SECONDS pass or LINGER_BYTES arrive."""

    def __init__(self, real: asyncio.Transport, protocol: GuardedH11Protocol) -> None:
        self._real = real
        self._protocol = protocol
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
        client_sending = self._protocol.conn.their_state is h11.SEND_BODY
        if not (client_sending and self._real.can_write_eof()):
            self._real.close()
            return
        self.lingering = True
        self._real.write_eof()
        self._timer = self._protocol.loop.call_later(LINGER_SECONDS, self._real.close)

    def drop(self, data: bytes) -> None:
        """Bytes that arrived while lingering: counted, never parsed."""
        self._dropped += len(data)
        if self._dropped > LINGER_BYTES:
            self._real.close()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request line and headers."""

    header_timeout_s = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._lingering_transport = LingeringTransport(transport, self)
        super().connection_made(self._lingering_transport)  # type: ignore[arg-type]
        self._arm_header_timer()

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

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._lingering_transport.cancel()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.info("closing a connection that sent no complete request headers in %g s",
                     self.header_timeout_s)  # fmt: skip
            self.transport.close()


def server_config(app: Any, settings: Settings, **kw: Any) -> uvicorn.Config:
    """uvicorn.Config for `app` with the connection timeouts of `settings`; `kw` overrides."""
    protocol = type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {"header_timeout_s": settings.header_timeout_s},
    )
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "http": protocol,
        "timeout_keep_alive": settings.keep_alive_timeout_s,
        "timeout_graceful_shutdown": 5,
    }
    options.update(kw)
    return uvicorn.Config(app, **options)


def serve(app: Any, settings: Settings, sockets: list[socket.socket] | None = None) -> None:
    """Run `app` under uvicorn on settings.host:settings.port (or on `sockets`) until stopped."""
    uvicorn.Server(server_config(app, settings)).run(sockets=sockets)
