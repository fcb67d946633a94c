"""GET /conflicts: where the record contradicts itself, with both (all) passages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import ConflictList, ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_page
from ccmkg.api.rest.runner import run
from ccmkg.api.rest.sources import add_unique, fold_rows
from ccmkg.api.rest.terms import Row, text

router = APIRouter(tags=["provenance"])


@router.get(
    "/conflicts",
    response_model=ConflictList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Contradictions found in the record",
)
def conflicts(
    request: Request,
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Each conflict says what differs, the values claimed, and the passages (`claims`)."""
    page = parse_page(limit, offset)

    def build(row: Row) -> dict[str, Any]:
        return {"id": text(row, "conflict"), "about": text(row, "about"), "values": []}

    def more(item: dict[str, Any], row: Row) -> None:
        add_unique(item, "values", text(row, "value"))

    items = fold_rows(run(request, "api_conflicts").rows, "conflict", build, more)
    for item in items:
        item["claims"] = item.pop("sources")
    items.sort(key=lambda i: i["id"])
    return page_answer(request, format, items, page)
