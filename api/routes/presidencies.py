"""GET /presidencies: which State presided (or was designate, or past President), and when."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import Listing, ListParams, list_params, with_sources
from ccmkg.api.rest.models import ErrorBody, PresidencyList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_period, parse_state, parse_term
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import presidencies as service
from ccmkg.model.vocab import vocabulary

router = APIRouter(tags=["machinery"])


@router.get(
    "/presidencies",
    response_model=PresidencyList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Presidency roles in order, with their sources",
)
def presidencies(
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    on: str | None = Query(None, description="Holding the role on that day (YYYY-MM-DD)"),
    year: str | None = Query(None, description="Holding the role at any time that year"),
    kind: str | None = Query(
        None,
        description="Kind of the meeting presided, as in /meetings: "
        + ", ".join(vocabulary().meeting_kinds.slugs)
        + " (or a label such as MSP, RC)",
    ),
    page: ListParams = Depends(list_params),
    sources: bool = Depends(with_sources),
    queries: Queries = Depends(get_queries),
) -> Response:
    """President, President-designate and past President roles; each cites its passages."""
    wanted = parse_term("kind", kind, vocabulary().meeting_kinds)
    found = service.presidencies(
        queries,
        state=parse_state(queries.settings, state_),
        period=parse_period(on, year),
        sources=sources,
    )
    if wanted is not None:  # the meeting's short kind (MSP, RC) names the same term
        kinds = vocabulary().meeting_kinds
        chosen = [
            item
            for item in found.items
            if item.meeting is not None
            and item.meeting.kind is not None
            and (term := kinds.resolve(item.meeting.kind)) is not None
            and term.slug == wanted
        ]
        found = Listing(chosen, *found.answers)
    return page_answer(found, page, sources=sources)
