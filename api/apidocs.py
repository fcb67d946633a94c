"""/docs (Swagger UI) and /redoc (ReDoc), served offline from npm-installed assets.

FastAPI's pages load their JavaScript from a CDN, which leaves them blank on a machine (or a
user's network) without one, and our CSP would block it anyway. Here they load the same
libraries from /static/vendor/ (api/vendor.py), under a CSP that allows this origin only,
plus, by hash, each page's one inline script. Without the assets (a pip-only install) each
page says so in plain words and points at /openapi.json.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from ccmkg.api.vendor import REDOC, SWAGGER, available
from ccmkg.settings import Settings

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
VENDOR = "/static/vendor/"
MISSING = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><h1>{title}</h1><p>The {what} files are not installed on this server, so this page "
    "cannot show the API documentation. Install them with <code>./dev.sh serve</code> (it runs "
    "<code>npm ci</code> in <code>web/</code>). The OpenAPI document itself is at "
    "<a href='/openapi.json'>/openapi.json</a>.</p></body></html>"
)


def csp_hashes(html: str) -> str:
    """'sha256-…' sources for the inline scripts of a page, so the CSP allows them only."""
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.findall(html)
    )


def docs_csp(html: str) -> str:
    """Scripts and styles from this origin only (inline styles: both UIs set them at run time)."""
    return (
        "default-src 'none'; "
        f"script-src 'self' {csp_hashes(html)}; "
        "style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def install_docs(app: FastAPI) -> None:
    """Add /docs and /redoc; each checks at request time whether its assets are installed."""
    title = app.title
    swagger = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{title} - Swagger UI",
        swagger_js_url=VENDOR + "swagger-ui-bundle.js",
        swagger_css_url=VENDOR + "swagger-ui.css",
        swagger_favicon_url="data:,",
    )
    redoc = get_redoc_html(
        openapi_url="/openapi.json",
        title=f"{title} - ReDoc",
        redoc_js_url=VENDOR + "redoc.standalone.js",
        redoc_favicon_url="data:,",
        with_google_fonts=False,
    )
    pages = {
        "swagger": (bytes(swagger.body).decode(), SWAGGER, "Swagger UI"),
        "redoc": (bytes(redoc.body).decode(), REDOC, "ReDoc"),
    }

    def page(request: Request, which: str) -> HTMLResponse:
        html, assets, what = pages[which]
        settings: Settings = request.app.state.settings
        if not available(settings, assets):
            html = MISSING.format(title=escape(f"{title} - {what}"), what=what)
        return HTMLResponse(html, headers={"Content-Security-Policy": docs_csp(html)})

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        return page(request, "swagger")

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page(request: Request) -> HTMLResponse:
        return page(request, "redoc")
