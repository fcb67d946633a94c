"""create_app(settings): the FastAPI application, thin routes, one router per resource."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ccmkg import __version__
from ccmkg.api.linking import ContextLinkMiddleware
from ccmkg.api.rest.problems import parameter_hint
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
        from ccmkg.api.rest.runner import catalogue

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
    )
    app.state.settings = settings

    @app.exception_handler(CcmKgError)
    async def _known_error(request: Request, exc: CcmKgError) -> JSONResponse:
        if exc.status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc.message)
        return JSONResponse(status_code=exc.status, content=exc.as_dict())

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
    install_security(app, settings)
    return app
