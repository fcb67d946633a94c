"""GET /deadlines: Article 3, 4 and 7 deadlines of the States Parties, with a status as of a day."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import DEADLINE_STATUSES, DeadlineList, ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import ARTICLES, parse_choice, parse_date, parse_period, parse_state
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import deadlines as service

router = APIRouter(tags=["obligations"])


@router.get(
    "/deadlines",
    response_model=DeadlineList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Deadlines under Articles 3, 4 and 7, derived by declared rules, with their status",
)
def deadlines(
    article: str | None = Query(None, description="3, 4 or 7"),
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    from_: str | None = Query(None, alias="from", description="Due on or after (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Due on or before (YYYY-MM-DD)"),
    as_of: str | None = Query(None, description="Status as of this day (default today)"),
    status: str | None = Query(None, description="One of: " + ", ".join(DEADLINE_STATUSES)),
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Past and upcoming deadlines: each says it is derived, by which rule, from which entry
    into force; extensions and completions keep their sources. `from`/`to` apply to the
    deadline in force (after extensions granted by `as_of`)."""
    chosen = parse_choice("article", article, [str(a) for a in ARTICLES])
    found = service.deadlines(
        queries,
        state=parse_state(queries.settings, state_),
        article=int(chosen) if chosen else None,
        status=parse_choice("status", status, list(DEADLINE_STATUSES)),
        period=parse_period(start=from_, end=to),
        as_of=parse_date("as_of", as_of),
    )
    return page_answer(found, page)
