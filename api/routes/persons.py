"""GET /persons?q= and GET /persons/{id}: the people in the record and their affiliations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import ErrorBody, PersonDetail, PersonList
from ccmkg.api.rest.output import (
    CSV_RESPONSES,
    DETAIL_RESPONSES,
    detail_answer,
    detail_format,
    page_answer,
)
from ccmkg.api.rest.params import parse_int
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import persons as service
from ccmkg.api.services import recurring

router = APIRouter(tags=["persons"])


@router.get(
    "/persons",
    response_model=PersonList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Persons named in the record (search ignores accents and case)",
)
def persons(
    q: str | None = Query(
        None, description="Part of a name; accents, case and punctuation ignored"
    ),
    min_documents: str | None = Query(
        None,
        description="Only persons named in at least this many documents (2: who recurs "
        "across documents), each with its documents",
    ),
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Each person with every spelling, and the documents that name them."""
    least = parse_int("min_documents", min_documents, 1, 10_000)
    if least is None:  # the page's persons only are read in full
        return page_answer(
            service.persons(queries, q=q, offset=page.offset, limit=page.limit), page
        )
    found = recurring.with_documents(service.persons(queries, q=q), least)
    return page_answer(found, page)


@router.get(
    "/persons/{id:path}",
    response_model=PersonDetail,
    responses={**DETAIL_RESPONSES, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="One person: spellings, and the meetings attended for each delegation",
)
def person(
    id: str = Path(
        description="Name key (last segment of the person IRI), or the IRI (the `id` of /persons)"
    ),
    fmt: str = Depends(detail_format),
    queries: Queries = Depends(get_queries),
) -> Response:
    return detail_answer(service.person(queries, id), fmt)
