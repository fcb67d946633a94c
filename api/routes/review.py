"""GET /review: strings the loaders kept for review instead of minting actors from them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import ErrorBody, ReviewItemList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import review as service

router = APIRouter(tags=["provenance"])

Reason = Literal["unresolved-name", "person-name", "page-marker", "table-fragment"]


@router.get(
    "/review",
    response_model=ReviewItemList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Strings kept for review (never turned into actors)",
)
def review(
    reason: Annotated[Reason | None, Query(description="Only items of this reason")] = None,
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Each item: the string as written, why it is not an actor, and its passage (`sources`)."""
    return page_answer(service.review_items(queries, reason), page)
