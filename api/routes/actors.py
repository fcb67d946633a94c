"""GET /actors, /actors/{id}, /actors/{id}/timeline: a State or organisation and what it did."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import Actor, ActorList, ErrorBody, Timeline
from ccmkg.api.rest.output import (
    CSV_RESPONSES,
    DETAIL_RESPONSES,
    detail_answer,
    detail_format,
    page_answer,
)
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import actors as service

router = APIRouter(tags=["actors"])
ACTOR_KEY = "ISO alpha-3 code, acronym, a State's name, or the actor's IRI (the `id` of /actors)"


@router.get(
    "/actors",
    response_model=ActorList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="States and organisations, searchable by any name",
)
def actors(
    q: str | None = Query(
        None, description="Part of a name, code or acronym; accents and case ignored"
    ),
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Every State and organisation named in the record, with every spelling met."""
    return page_answer(service.actors(queries, q=q), page)


@router.get(
    "/actors/{id:path}/timeline",
    response_model=Timeline,
    responses={**DETAIL_RESPONSES, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="Everything an actor did, in date order",
)
def timeline(
    id: str = Path(description=ACTOR_KEY),
    fmt: str = Depends(detail_format),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Posts held, presidencies, meetings attended and chaired, apologies, obligation events
    (as CSV: one row per event)."""
    return detail_answer(service.timeline(queries, id), fmt, rows="items")


@router.get(
    "/actors/{id:path}",
    response_model=Actor,
    responses={**DETAIL_RESPONSES, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="One State or organisation",
)
def actor(
    id: str = Path(description=ACTOR_KEY),
    fmt: str = Depends(detail_format),
    queries: Queries = Depends(get_queries),
) -> Response:
    return detail_answer(service.actor(queries, id), fmt)
