"""GET /obligations: what the record says about States' Article 3, 4 and 7 obligations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params, with_sources
from ccmkg.api.rest.models import ErrorBody, ObligationList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import ARTICLES, parse_choice, parse_period, parse_state
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import obligations as service
from ccmkg.api.services import statements

router = APIRouter(tags=["obligations"])


@router.get(
    "/obligations",
    response_model=ObligationList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Obligation events (extension requests, completion, reports) by State and article",
)
def obligations(
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    article: str | None = Query(None, description="3, 4 or 7"),
    from_: str | None = Query(None, alias="from", description="First day (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Last day (YYYY-MM-DD)"),
    about: str | None = Query(
        None,
        description="state: events of one State; states: statements about several States at "
        "once (a count); absent: both (without state=)",
    ),
    page: ListParams = Depends(list_params),
    sources: bool = Depends(with_sources),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Each event is dated by the text, or else by the document that reports it. Statements
    about several States at once (`about: states`, with a `count`) come too, unless `state=`."""
    state_iri = parse_state(queries.settings, state_)
    about = parse_choice("about", about, ["state", "states"])
    chosen = parse_choice("article", article, [str(a) for a in ARTICLES])
    period = parse_period(start=from_, end=to)
    number = int(chosen) if chosen else None
    # Statements about several States name none: not with `state=`, nor with `about=state`.
    several = None
    if state_iri is None and about != "state":
        several = statements.statements(queries, article=number, period=period, sources=sources)
    found = service.obligations(
        queries,
        state=state_iri,
        article=number,
        period=period,
        events=about != "states",
        several=several,
        offset=page.offset,
        limit=page.limit,
        sources=sources,
    )
    return page_answer(found, page, sources=sources)
