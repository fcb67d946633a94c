"""GET /obligations: what the record says about States' Article 3, 4 and 7 obligations."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import ErrorBody, ObligationList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import ARTICLES, parse_choice, parse_page, parse_period, parse_state
from ccmkg.api.rest.refs import state, within
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.sources import fold_rows
from ccmkg.api.rest.terms import Row, day, local_name, text

router = APIRouter(tags=["obligations"])


def _kebab(iri: str | None) -> str | None:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local_name(iri)).lower() if iri else None


def _article(iri: str | None) -> int | None:
    match = re.search(r"Article(\d+)$", iri or "")
    return int(match.group(1)) if match else None


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "event"),
        "state": state(row),
        "article": _article(text(row, "article")),
        "type": _kebab(text(row, "obligationType")),
        "event": _kebab(text(row, "eventType")),
        "date": day(row, "date") or day(row, "reported"),
        "text": text(row, "text"),
    }


@router.get(
    "/obligations",
    response_model=ObligationList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Obligation events (extension requests, completion, reports) by State and article",
)
def obligations(
    request: Request,
    state_: str | None = Query(None, alias="state", description="ISO alpha-3/alpha-2 or a name"),
    article: str | None = Query(None, description="3, 4 or 7"),
    from_: str | None = Query(None, alias="from", description="First day (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Last day (YYYY-MM-DD)"),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Each event is dated by the text, or else by the document that reports it."""
    state_iri = parse_state(settings_of(request), state_)
    chosen = parse_choice("article", article, [str(a) for a in ARTICLES])
    period = parse_period(start=from_, end=to)
    page = parse_page(limit, offset)
    rows = run(
        request, "api_obligation_events", {"state": local_name(state_iri) if state_iri else None}
    )
    items = [
        i
        for i in fold_rows(rows.rows, "event", _build)
        if (chosen is None or i["article"] == int(chosen))
        and within(i["date"], period.start, period.end)
    ]
    items.sort(key=lambda i: (i["date"] or "", i["state"]["iso3"] or "", i["article"] or 0))
    return page_answer(request, format, items, page, rows.truncated)
