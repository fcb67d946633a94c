"""create_app(settings): the FastAPI application, thin routes, one router per resource."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match
from starlette.types import Scope

from ccmkg import __version__
from ccmkg.api.apidocs import install_docs
from ccmkg.api.limits import install_limits
from ccmkg.api.linking import ContextLinkMiddleware
from ccmkg.api.openapi import install_openapi
from ccmkg.api.rest.problems import parameter_hint
from ccmkg.api.rest.runner import catalogue
from ccmkg.api.routes import ROUTERS
from ccmkg.api.security import install_security
from ccmkg.errors import CcmKgError
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store

log = logging.getLogger("ccmkg.api")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app; it opens (and later closes) its own store unless one is passed in."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        # The named queries are parsed once per process (~4 s for ~40 files): before serving,
        # so that the first request does not pay for it (and time out under load).

        catalogue(settings.base_iri)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="ccm-kg",
        version=__version__,
        description="Who coordinated what, when, in the Convention on Cluster Munitions; "
        "every answer cites its source passage.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings

    @app.exception_handler(CcmKgError)
    async def _known_error(request: Request, exc: CcmKgError) -> JSONResponse:
        if exc.status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc.message)
        return JSONResponse(status_code=exc.status, content=exc.as_dict(), headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # The router's own 404/405 get our error body too, not {"detail": …}.
        status = exc.status_code
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        body = {
            "code": HTTP_CODES.get(status, phrase.lower().replace(" ", "-") or "error"),
            "message": f"{request.method} {request.url.path}: {exc.detail or phrase}",
            "hint": HTTP_HINTS.get(status, ""),
        }
        headers = dict(exc.headers or {})
        if status == 405:  # every method of the path, not only those of the first route
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        return JSONResponse(status_code=status, content=body, headers=headers)

    @app.exception_handler(ClientDisconnect)
    async def _client_gone(request: Request, exc: ClientDisconnect) -> Response:
        # One line, no traceback: a dropped upload is the client's business, not a fault.
        log.info("client went away during %s %s", request.method, request.url.path)
        return Response(status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
            for err in exc.errors()
        )
        body = {
            "code": "bad-parameter",
            "message": f"Invalid request: {problems}",
            "hint": parameter_hint(request, exc.errors()),
        }
        return JSONResponse(status_code=422, content=body)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Internals stay in the log; the caller gets a stable code and no stack trace.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {
            "code": "internal-error",
            "message": "The server failed to answer this request.",
            "hint": "Retry later; if it persists, report it with the time of the request.",
        }
        return JSONResponse(status_code=500, content=body)

    app.add_middleware(ContextLinkMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    install_docs(app)
    install_openapi(app)
    install_limits(app, settings)
    install_security(app, settings)  # last: its headers cover the limits' own answers
    return app


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods the routes matching this path accept (HEAD wherever GET is)."""
    methods: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route = context.route
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


HTTP_CODES = {404: "not-found", 405: "method-not-allowed", 400: "bad-request"}
HTTP_HINTS = {
    404: "See /docs for the operations of this API.",
    405: "See /docs for the methods each path accepts (the Allow header lists them).",
}
