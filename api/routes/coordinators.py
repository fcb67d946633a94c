"""GET /coordinators: which State coordinated which thematic area, when, and says who."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.rest.holdings import fold_holdings, in_period
from api.rest.models import CoordinatorList, ErrorBody
from api.rest.output import CSV_RESPONSES, page_answer
from api.rest.params import parse_area, parse_page, parse_period, parse_state
from api.rest.refs import area, state
from api.rest.runner import run, settings_of
from api.rest.terms import Row, local_name

router = APIRouter(tags=["machinery"])
DATE = "YYYY-MM-DD"


def _build(row: Row) -> dict[str, Any]:
    return {"area": area(row), "state": state(row)}


@router.get(
    "/coordinators",
    response_model=CoordinatorList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Thematic coordinators, with their terms and sources",
)
def coordinators(
    request: Request,
    area_: str | None = Query(None, alias="area", description="Area slug or any alias label"),
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    on: str | None = Query(None, description=f"Holding the post on that day ({DATE})"),
    year: str | None = Query(None, description="Holding the post at any time that year"),
    from_: str | None = Query(None, alias="from", description=f"Period start ({DATE})"),
    to: str | None = Query(None, description=f"Period end ({DATE})"),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Every coordinator holding matching the filters; each item cites its passages."""
    chosen_area = parse_area(area_)
    state_iri = parse_state(settings_of(request), state_)
    period = parse_period(on, year, from_, to)
    page = parse_page(limit, offset)
    rows = run(
        request,
        "api_coordinators",
        {
            "area": chosen_area.slug if chosen_area else None,
            "state": local_name(state_iri) if state_iri else None,
        },
    )
    items = [i for i in fold_holdings(rows.rows, _build) if in_period(i, period)]
    items.sort(key=lambda i: (i["area"]["slug"], i["start"] or "", i["state"]["iso3"] or ""))
    return page_answer(request, format, items, page, rows.truncated)
