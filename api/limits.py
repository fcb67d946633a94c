"""What bounds every request before a route sees it, installed by `install_limits(app, settings)`.

- Bodies are counted while they stream (Content-Length or chunked alike): past the limit of
  the route (/validate and /ingest: CCMKG_MAX_UPLOAD_BYTES; /sparql: a form or query of
  CCMKG_MAX_QUERY_BYTES; anything else: CCMKG_MAX_BODY_BYTES) the request ends with 413, and
  a body that is not complete CCMKG_BODY_TIMEOUT_S after the request began ends with 408.
  Nothing past the limit is read, so no route can buffer more than its limit.
- HEAD is answered wherever GET is (RFC 9110 §9.3.2): the GET answer without its body.
- A client that goes away mid-request is one log line, not two tracebacks.
- Secrets in query strings (`?token=…`) are redacted from the access log.
- /sparql admits at most CCMKG_SPARQL_PER_CLIENT queries per client at once (429 with
  Retry-After) and CCMKG_SPARQL_WORKERS + CCMKG_SPARQL_QUEUE in all (503 busy): the REST
  API has workers of its own, so expensive SPARQL cannot starve it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ccmkg.errors import Busy, CcmKgError, PayloadTooLarge, TooManyRequests
from ccmkg.settings import Settings

log = logging.getLogger("ccmkg.api")

UPLOAD_PATHS = frozenset({"/validate", "/ingest"})
SPARQL_PATHS = frozenset({"/sparql", "/sparql/"})


class RequestTimeout(CcmKgError):
    code = "body-timeout"
    status = 408


def sparql_body_limit(settings: Settings) -> int:
    """A form body carries some overhead (percent-encoding) on top of the query."""
    return 3 * settings.max_query_bytes + 4096


class BodyLimits:
    """Pure ASGI middleware: every request body bounded in size and time while it streams."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> tuple[int, str]:
        if path in UPLOAD_PATHS:
            return self.settings.max_upload_bytes, "CCMKG_MAX_UPLOAD_BYTES"
        if path in SPARQL_PATHS:
            return sparql_body_limit(self.settings), "CCMKG_MAX_QUERY_BYTES"
        return self.settings.max_body_bytes, "CCMKG_MAX_BODY_BYTES"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit, setting = self.limit_for(path)

        def too_large(size: int | str) -> PayloadTooLarge:
            return PayloadTooLarge(
                f"The request body is {size} bytes; the limit of {path} is {limit} bytes "
                f"({setting}).",
                hint="Send less data per request.",
            )

        declared = _header(scope, b"content-length")
        # Uploads are refused by their declared length in the route, after the token check
        # (an unauthenticated client learns nothing more than 401).
        if declared.isdigit() and int(declared) > limit and path not in UPLOAD_PATHS:
            await _send_error(send, too_large(declared))
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.body_timeout_s
        received = 0
        body_done = False
        started = False
        refused = False  # the body broke a limit: whoever answers, the connection then ends

        async def bounded_receive() -> Message:
            nonlocal received, body_done, refused
            if body_done:
                return await receive()  # e.g. waiting for a disconnect while streaming
            remaining = deadline - loop.time()
            try:
                if remaining <= 0:
                    raise TimeoutError
                message = await asyncio.wait_for(receive(), remaining)
            except TimeoutError:
                refused = True
                raise RequestTimeout(
                    f"The request body was not complete after {self.settings.body_timeout_s:g}"
                    " s (CCMKG_BODY_TIMEOUT_S).",
                    hint="Send the whole body at once, or a smaller one.",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise too_large(f"more than {limit}")
                body_done = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if refused:  # the rest of the body is never read: no next request can follow
                    headers = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except (PayloadTooLarge, RequestTimeout) as exc:
            # Raised where no exception handler runs (e.g. while FastAPI reads a form).
            if started:
                raise
            await _send_error(send, exc)


class HeadAsGet:
    """Pure ASGI middleware: HEAD runs the GET route and sends its headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        start: Message | None = None

        async def headers_only(message: Message) -> None:
            # The start is held back until the GET answer is complete: sent at once, the
            # server would end the response there and cut a streaming route short.
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                if start is not None:
                    await send(start)
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return ""


async def _send_error(send: Send, exc: CcmKgError) -> None:
    body = json.dumps(exc.as_dict()).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": exc.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


# --- the access log ----------------------------------------------------------------------

_SECRET_PARAM = re.compile(
    r"(?i)([?&](?:[^=&]*(?:token|key|secret|passw|auth|session|signature|credential|sig)"
    r"[^=&]*)=)[^&#]*"
)


def redact(path: str) -> str:
    """A request target with the values of secret-looking query parameters replaced."""
    return _SECRET_PARAM.sub(r"\1REDACTED", path) if "?" in path else path


class RedactSecrets(logging.Filter):
    """On uvicorn's access logger: its third argument is the path with the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install_log_redaction() -> None:
    """Idempotent: one filter on the access logger of the process."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())


# --- /sparql admission -------------------------------------------------------------------


class SparqlAdmission:
    """Counts /sparql queries per client and in all; runs on the event loop (no lock)."""

    def __init__(self, settings: Settings) -> None:
        self.per_client = settings.sparql_per_client
        # Running places: each worker process runs `sparql_worker_threads` queries at once.
        self.capacity = (
            settings.sparql_workers * settings.sparql_worker_threads + settings.sparql_queue
        )
        self.running: Counter[str] = Counter()
        self.total = 0

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Raises TooManyRequests (this client) or Busy (everyone) instead of queueing."""
        if self.running[client] >= self.per_client:
            raise TooManyRequests(
                f"This client already runs {self.running[client]} SPARQL queries; at most "
                f"{self.per_client} may run at once (CCMKG_SPARQL_PER_CLIENT).",
                hint="Wait for the running queries to finish, then retry.",
            )
        if self.total >= self.capacity:
            raise Busy(
                f"All {self.capacity} places for SPARQL queries are taken "
                "(CCMKG_SPARQL_WORKERS x CCMKG_SPARQL_WORKER_THREADS + CCMKG_SPARQL_QUEUE).",
                hint="Retry after a few seconds; the REST API keeps answering meanwhile.",
            )
        self.running[client] += 1
        self.total += 1
        try:
            yield
        finally:
            self.running[client] -= 1
            if self.running[client] <= 0:
                del self.running[client]
            self.total -= 1


def client_key(scope: Scope | Any) -> str:
    client = scope.get("client") if isinstance(scope, dict) else None
    return str(client[0]) if client else "unknown"


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Body limits, HEAD, log redaction and /sparql admission; idempotent."""
    if getattr(app.state, "limits_installed", False):
        return
    app.state.limits_installed = True
    app.state.sparql_admission = SparqlAdmission(settings)
    install_log_redaction()
    app.add_middleware(BodyLimits, settings=settings)
    app.add_middleware(HeadAsGet)
