"""GET / (the web page), its static files, and /ui/queries (the named queries, with their text).

The page is our own HTML/JS/CSS (no third-party bundle, so nothing to fetch at run time); it is
served with a strict Content-Security-Policy: scripts and styles from this origin only.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from ccmkg.api.rest.runner import catalogue, settings_of
from ccmkg.errors import NotFound

router = APIRouter(include_in_schema=False)
STATIC = Path(str(files("ccmkg.api") / "static"))
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _file(name: str) -> FileResponse:
    # Only files that ship in api/static, by exact name: no path from the request reaches disk.
    shipped = {p.name: p for p in STATIC.iterdir() if p.is_file() and p.suffix in MEDIA}
    path = shipped.get(name)
    if path is None:
        raise NotFound(f"No static file {name!r}.", "The page lives at /.")
    return FileResponse(path, media_type=MEDIA[path.suffix], headers=SECURITY_HEADERS)


@router.get("/")
def index() -> FileResponse:
    return _file("index.html")


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    return _file(name)


@router.get("/ui/queries")
def ui_queries(request: Request) -> JSONResponse:
    """The named queries with their documentation and text, to pre-fill the SPARQL editor."""
    cat = catalogue(settings_of(request).base_iri)
    body: list[dict[str, Any]] = [
        {**cat.get(name).as_doc(), "text": cat.get(name).text} for name in cat.names()
    ]
    return JSONResponse(body, headers=SECURITY_HEADERS)
