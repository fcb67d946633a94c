"""GET /persons?q= and GET /persons/{id}: the people in the record and their affiliations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import ErrorBody, PersonDetail, PersonList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import persons as service

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
    page: ListParams = Depends(list_params),
    queries: Queries = Depends(get_queries),
) -> Response:
    return page_answer(service.persons(queries, q=q), page)


@router.get(
    "/persons/{id}",
    response_model=PersonDetail,
    responses={404: {"model": ErrorBody}},
    summary="One person: spellings, and the meetings attended for each delegation",
)
def person(
    id: str = Path(description="Name key (last segment of the person IRI)"),
    queries: Queries = Depends(get_queries),
) -> PersonDetail:
    return service.person(queries, id)
