"""The routers, one module per resource; main.create_app includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from ccmkg.api.routes import (
    actors,
    conflicts,
    coordinators,
    deadlines,
    documents,
    health,
    ingest,
    meetings,
    obligations,
    pages,
    persons,
    presidencies,
    publish,
    queries,
    resolve,
    review,
    sparql,
    states,
    validate,
    working_groups,
)

ROUTERS: list[APIRouter] = [
    health.router,
    sparql.router,
    queries.router,
    coordinators.router,
    presidencies.router,
    meetings.router,
    actors.router,
    persons.router,
    obligations.router,
    documents.router,
    states.router,
    deadlines.router,
    conflicts.router,
    working_groups.router,
    review.router,
    validate.router,
    ingest.router,
    publish.router,
    pages.router,
    resolve.router,  # last: it answers the catch-all /id/{path}
]
