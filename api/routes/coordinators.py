"""GET /coordinators: which State coordinated which thematic area, when, and says who.

Friends of the President (2010-2011, the posts the coordinators replaced) are answered too with
`role=friend` or `role=any`; a Friend on a topic that is not a thematic area has `area: null`
and its `topic` as written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.holdings import fold_holdings, in_period
from ccmkg.api.rest.models import CoordinatorList, ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_area, parse_choice, parse_page, parse_period, parse_state
from ccmkg.api.rest.refs import CCM, area, state
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.terms import Row, local_name, text

router = APIRouter(tags=["machinery"])
DATE = "YYYY-MM-DD"
ROLE = {CCM + "Coordinator": "coordinator", CCM + "FriendOfThePresident": "friend"}
ROLES = ["coordinator", "friend", "any"]


def _build(row: Row) -> dict[str, Any]:
    topic = text(row, "topic")
    return {
        "role": ROLE.get(text(row, "role") or ""),
        # On a topic row `area` is only the bound parameter: the post covers no area.
        "area": None if topic else area(row),
        "topic": topic,
        "state": state(row),
    }


def _order(item: dict[str, Any]) -> tuple[str, str, str]:
    key = item["area"]["slug"] if item["area"] else item["topic"] or ""
    return (key, item["start"] or "", item["state"]["iso3"] or "")


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
    role: str | None = Query(
        None, description="coordinator (default), friend (Friend of the President) or any"
    ),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Every coordinator holding matching the filters; each item cites its passages."""
    chosen_area = parse_area(area_)
    state_iri = parse_state(settings_of(request), state_)
    period = parse_period(on, year, from_, to)
    chosen_role = parse_choice("role", role, ROLES) or "coordinator"
    page = parse_page(limit, offset)
    rows = run(
        request,
        "api_coordinators",
        {
            "area": chosen_area.slug if chosen_area else None,
            "state": local_name(state_iri) if state_iri else None,
        },
    )
    items = [
        i
        for i in fold_holdings(rows.rows, _build)
        if in_period(i, period)
        and chosen_role in ("any", i["role"])
        and not (chosen_area and i["area"] is None)
    ]
    items.sort(key=_order)
    return page_answer(request, format, items, page, rows.truncated)
