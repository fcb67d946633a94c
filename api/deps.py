"""FastAPI dependencies: the store and settings the app was built with."""

from __future__ import annotations

from fastapi import Request

from ccmkg.settings import Settings
from ccmkg.store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]
