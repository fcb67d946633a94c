"""The routers, one module per resource; main.create_app includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import health, ingest, validate

ROUTERS: list[APIRouter] = [health.router, validate.router, ingest.router]
from api.routes import queries  # noqa: E402  issue 4

ROUTERS += [queries.router]  # issue 4
from api.routes import (  # noqa: E402  issue 5
    actors,
    conflicts,
    coordinators,
    meetings,
    obligations,
    pages,
    persons,
    presidencies,
)

ROUTERS += [coordinators.router, presidencies.router, meetings.router, actors.router]  # issue 5
ROUTERS += [persons.router, obligations.router, conflicts.router, pages.router]  # issue 5
from api.routes import publish, resolve  # noqa: E402  issue 8

ROUTERS += [publish.router, resolve.router]  # issue 8
from api.routes import sparql  # noqa: E402  sparql endpoint

ROUTERS += [sparql.router]  # sparql endpoint
