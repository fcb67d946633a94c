"""GET /presidencies: which State presided (or was designate, or past President), and when."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.holdings import fold_holdings, in_period
from ccmkg.api.rest.models import ErrorBody, PresidencyList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_page, parse_period, parse_state
from ccmkg.api.rest.refs import CCM, state
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.terms import Row, integer, local_name, text

router = APIRouter(tags=["machinery"])
ROLE = {
    CCM + "President": "president",
    CCM + "PresidentDesignate": "president-designate",
    CCM + "PastPresident": "past-president",
}
SERIES = {CCM + "MeetingOfStatesParties": "MSP", CCM + "ReviewConference": "RC"}


def _meeting(row: Row) -> dict[str, Any] | None:
    iri = text(row, "meeting")
    if iri is None:
        return None
    kind = SERIES.get(text(row, "meetingClass") or "")
    ordinal = integer(row, "ordinal")
    label = text(row, "meetingLabel") or (f"{ordinal}{kind}" if ordinal and kind else None)
    return {"id": iri, "label": label, "kind": kind, "ordinal": ordinal}


def _build(row: Row) -> dict[str, Any]:
    return {
        "meeting": _meeting(row),
        "state": state(row),
        "role": ROLE.get(text(row, "role") or "", local_name(text(row, "role") or "")),
    }


def _order(item: dict[str, Any]) -> tuple[str, int, str]:
    ordinal = (item["meeting"] or {}).get("ordinal") or 0
    return (item["start"] or "", ordinal, item["role"])


@router.get(
    "/presidencies",
    response_model=PresidencyList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Presidency roles in order, with their sources",
)
def presidencies(
    request: Request,
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    on: str | None = Query(None, description="Holding the role on that day (YYYY-MM-DD)"),
    year: str | None = Query(None, description="Holding the role at any time that year"),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """President, President-designate and past President roles; each cites its passages."""
    state_iri = parse_state(settings_of(request), state_)
    period = parse_period(on, year)
    page = parse_page(limit, offset)
    rows = run(request, "api_presidencies", {"state": local_name(state_iri) if state_iri else None})
    items = [i for i in fold_holdings(rows.rows, _build) if in_period(i, period)]
    items.sort(key=_order)
    return page_answer(request, format, items, page, rows.truncated)
