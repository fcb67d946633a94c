"""CORS and security headers, installed on the app in one call: `install_security(app, settings)`.

Why here and not in each route: a header forgotten on one route is a hole, and a middleware
covers every response, errors included.
- CORS: the public read API may be called from any web page (default origin `*`), but only
  with GET/HEAD, so a page on another site can never drive a write (POST /ingest, DELETE)
  through a visitor's browser; origins come from `CCMKG_CORS_ORIGINS`; no credentials.
- Security headers on every response (nosniff, no framing, no referrer); HTML gets a strict
  Content-Security-Policy unless the route set its own (the web page sets a stricter one).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ccmkg.settings import Settings

CORS_METHODS = ["GET", "HEAD"]
CORS_HEADERS = ["Accept", "Accept-Language", "Content-Language"]
CORS_EXPOSED = ["Content-Disposition", "Link", "Location"]

ALWAYS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# Linked-data pages inline their stylesheet; no script runs on any HTML page we serve.
HTML_ONLY: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers above where the response has not set them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                content_type = next(
                    (v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), ""
                )
                extra = dict(ALWAYS)
                if content_type.startswith("text/html"):
                    extra.update(HTML_ONLY)
                for name, value in extra.items():
                    if name.lower() not in present:
                        headers.append((name.encode("latin-1"), value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security(app: FastAPI, settings: Settings) -> None:
    """Add CORS (read-only methods, configured origins) and security headers; idempotent."""
    if getattr(app.state, "security_installed", False):
        return
    app.state.security_installed = True
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=CORS_EXPOSED,
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(SecurityHeaders)
