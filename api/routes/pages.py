"""GET / (the web page), its static files, and what its SPARQL editor needs under /ui/.

The page is our own HTML/JS/CSS; its SPARQL editor is YASGUI, installed by npm at install time
and served from /static/vendor/ (api/vendor.py) when present, else the page keeps a plain text
box. Everything comes from this origin: the Content-Security-Policy allows nothing else
(inline styles only, which the editor sets at run time; never inline scripts).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from ccmkg.api.rest.runner import catalogue, settings_of
from ccmkg.api.vendor import ASSETS, EDITOR, asset_path, available
from ccmkg.errors import NotFound
from ccmkg.model.namespaces import PREFIXES

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
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
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


@router.get("/static/vendor/{name}")
def vendor(name: str, request: Request) -> FileResponse:
    """A third-party asset installed by npm (web/node_modules), by its public name only."""
    path = asset_path(settings_of(request), name)
    if path is None:
        known = name in ASSETS
        raise NotFound(
            f"The web asset {name!r} is {'not installed' if known else 'unknown'}.",
            "Install the web assets with ./dev.sh serve (npm ci in web/)."
            if known
            else "The page lives at /.",
        )
    return FileResponse(path, media_type=MEDIA[path.suffix], headers=SECURITY_HEADERS)


# Internal queries behind the REST routes: not research questions, so not in the examples.
INTERNAL_PREFIX = "api_"


@router.get("/ui/queries")
def ui_queries(request: Request) -> JSONResponse:
    """The research questions of the named query library, with their text: the examples menu."""
    cat = catalogue(settings_of(request).base_iri)
    body: list[dict[str, Any]] = [
        {**cat.get(name).as_doc(), "text": cat.get(name).text}
        for name in cat.names()
        if not name.startswith(INTERNAL_PREFIX)
    ]
    return JSONResponse(body, headers=SECURITY_HEADERS)


@router.get("/ui/prefixes")
def ui_prefixes() -> JSONResponse:
    """Our vocabularies' prefixes ({prefix: namespace}), for the editor's PREFIX completion."""
    return JSONResponse(PREFIXES, headers=SECURITY_HEADERS)


@router.get("/ui/config")
def ui_config(request: Request) -> JSONResponse:
    """What the page needs to know: the base IRI (our links), prefixes, and the editor's files."""
    settings = settings_of(request)
    body = {
        "base_iri": settings.base_iri,
        "prefixes": PREFIXES,
        "editor": "yasgui" if available(settings, EDITOR) else None,
    }
    return JSONResponse(body, headers=SECURITY_HEADERS)
