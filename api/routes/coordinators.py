"""GET /coordinators: which State coordinated which thematic area, when, and says who.

Friends of the President (2010-2011, the posts the coordinators replaced) are answered too with
`role=friend` or `role=any`; a Friend on a topic that is not a thematic area has `area: null`
and its `topic` as written.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params, with_sources
from ccmkg.api.rest.models import CoordinatorList, ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_area, parse_choice, parse_period, parse_state
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import coordinators as service

router = APIRouter(tags=["machinery"])
DATE = "YYYY-MM-DD"


@router.get(
    "/coordinators",
    response_model=CoordinatorList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Thematic coordinators, with their terms and sources",
)
def coordinators(
    area_: str | None = Query(None, alias="area", description="Area slug or any alias label"),
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    on: str | None = Query(None, description=f"Holding the post on that day ({DATE})"),
    year: str | None = Query(None, description="Holding the post at any time that year"),
    from_: str | None = Query(None, alias="from", description=f"Period start ({DATE})"),
    to: str | None = Query(None, description=f"Period end ({DATE})"),
    role: str | None = Query(
        None, description="coordinator (default), friend (Friend of the President) or any"
    ),
    page: ListParams = Depends(list_params),
    sources: bool = Depends(with_sources),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Every coordinator holding matching the filters; each item cites its passages."""
    found = service.coordinators(
        queries,
        area=parse_area(area_),
        state=parse_state(queries.settings, state_),
        period=parse_period(on, year, from_, to),
        role=parse_choice("role", role, service.ROLES) or "coordinator",
        sources=sources,
    )
    return page_answer(found, page, sources=sources)
