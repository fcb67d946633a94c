"""GET /states and GET /states/{iso}: signatories and States Parties, their dates and deadlines."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import STATE_STATUSES, ErrorBody, StateDetail, StateList
from ccmkg.api.rest.output import (
    CSV_RESPONSES,
    DETAIL_RESPONSES,
    detail_answer,
    detail_format,
    page_answer,
)
from ccmkg.api.rest.params import parse_choice, parse_date, parse_state
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import links
from ccmkg.api.services import states as service

router = APIRouter(tags=["states"])


@router.get(
    "/states",
    response_model=StateList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="States that signed or joined the Convention, with dates and entry into force",
)
def states(
    status: str | None = Query(None, description="One of: " + ", ".join(STATE_STATUSES)),
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Signature and instrument with every source's date; entry into force derived (Art. 17)."""
    found = service.states(queries, status=parse_choice("status", status, list(STATE_STATUSES)))
    return page_answer(found, page)


@router.get(
    "/states/{iso:path}",
    response_model=StateDetail,
    responses={**DETAIL_RESPONSES, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="One State: dates, deadlines, extensions, completions, posts and meetings",
)
def state(
    iso: str = Path(
        description="ISO 3166-1 alpha-3 (or alpha-2, a name, or the IRI: `id` of /states)"
    ),
    as_of: str | None = Query(None, description="Deadline status as of this day (default today)"),
    fmt: str = Depends(detail_format),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Everything the reference data and the documents say about one State, with sources."""
    found = service.state(
        queries, parse_state(queries.settings, iso) or "", as_of=parse_date("as_of", as_of)
    )
    found = found.model_copy(update={"same_as": links.same_as(queries, found.id)})
    return detail_answer(found, fmt)
