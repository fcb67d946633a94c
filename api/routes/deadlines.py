"""GET /deadlines: Article 3, 4 and 7 deadlines of the States Parties, with a status as of a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.deadlines import STATUSES, deadline_items
from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import (
    ARTICLES,
    parse_choice,
    parse_date,
    parse_page,
    parse_period,
    parse_state,
)
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.terms import local_name

router = APIRouter(tags=["obligations"])


def deadlines_for(request: Request, state_iri: str | None, as_of: dt.date) -> list[dict[str, Any]]:
    """Every derived deadline (of one State, or all), with extensions, completion and status."""
    state = local_name(state_iri) if state_iri else None
    rows = run(request, "api_deadlines", {"state": state}).rows
    events = run(request, "api_obligation_history", {"state": state}).rows
    return deadline_items(rows, events, as_of)


@router.get(
    "/deadlines",
    response_model=None,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Deadlines under Articles 3, 4 and 7, derived by declared rules, with their status",
)
def deadlines(
    request: Request,
    article: str | None = Query(None, description="3, 4 or 7"),
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    from_: str | None = Query(None, alias="from", description="Due on or after (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Due on or before (YYYY-MM-DD)"),
    as_of: str | None = Query(None, description="Status as of this day (default today)"),
    status: str | None = Query(None, description="One of: " + ", ".join(STATUSES)),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Past and upcoming deadlines: each says it is derived, by which rule, from which entry
    into force; extensions and completions keep their sources. `from`/`to` apply to the
    deadline in force (after extensions granted by `as_of`)."""
    chosen = parse_choice("article", article, [str(a) for a in ARTICLES])
    state_iri = parse_state(settings_of(request), state_)
    period = parse_period(start=from_, end=to)
    day = parse_date("as_of", as_of) or dt.date.today()
    wanted = parse_choice("status", status, list(STATUSES))
    page = parse_page(limit, offset)
    items = [
        i
        for i in deadlines_for(request, state_iri, day)
        if (chosen is None or i["article"] == int(chosen))
        and (wanted is None or i["status"] == wanted)
        and (period.start is None or (i["current_due"] or "") >= period.start.isoformat())
        and (period.end is None or (i["current_due"] or "9999") <= period.end.isoformat())
    ]
    return page_answer(request, format, items, page)
