"""GET /conflicts: where the record contradicts itself, with both (all) passages."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import ConflictList, ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import conflicts as service

router = APIRouter(tags=["provenance"])


@router.get(
    "/conflicts",
    response_model=ConflictList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Contradictions found in the record",
)
def conflicts(
    page: ListParams = Depends(list_params), queries: Queries = Depends(get_queries)
) -> Response:
    """Each conflict says what differs, the values claimed, and the passages (`claims`)."""
    return page_answer(service.conflicts(queries), page)
