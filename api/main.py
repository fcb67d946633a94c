"""create_app(settings): the FastAPI application, thin routes, one router per resource."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.routes import ROUTERS
from ccmkg import __version__
from ccmkg.errors import CcmKgError
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app; it opens (and later closes) its own store unless one is passed in."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
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
        return JSONResponse(status_code=exc.status, content=exc.as_dict())

    for router in ROUTERS:
        app.include_router(router)
    return app
