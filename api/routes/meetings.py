"""GET /meetings and GET /meetings/{id}: who met when, who was there, what was decided."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params, with_sources
from ccmkg.api.rest.models import ErrorBody, MeetingDetail, MeetingList
from ccmkg.api.rest.output import (
    CSV_RESPONSES,
    DETAIL_RESPONSES,
    detail_answer,
    detail_format,
    page_answer,
)
from ccmkg.api.rest.params import parse_period, parse_state, parse_term
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import meetings as service
from ccmkg.errors import BadParameter
from ccmkg.model.iri import IriScheme
from ccmkg.model.vocab import vocabulary

router = APIRouter(tags=["meetings"])
SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


@router.get(
    "/meetings",
    response_model=MeetingList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Meetings, filtered by period, kind, State or person",
)
def meetings(
    from_: str | None = Query(None, alias="from", description="First day (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Last day (YYYY-MM-DD)"),
    kind: str | None = Query(
        None,
        description="One of: "
        + ", ".join(vocabulary().meeting_kinds.slugs)
        + " (or a label such as MSP, RC, CC)",
    ),
    state_: str | None = Query(None, alias="state", description="Meetings this State attended"),
    person: str | None = Query(None, description="Meetings this person attended (id or IRI)"),
    page: ListParams = Depends(list_params),
    sources: bool = Depends(with_sources),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Meetings in date order; each cites the passage that records it."""
    found = service.meetings(
        queries,
        period=parse_period(start=from_, end=to),
        kind=parse_term("kind", kind, vocabulary().meeting_kinds),
        state=parse_state(queries.settings, state_),
        person=person or None,
        offset=page.offset,
        limit=page.limit,
        sources=sources,
    )
    return page_answer(found, page, sources=sources)


@router.get(
    "/meetings/{id:path}",
    response_model=MeetingDetail,
    responses={**DETAIL_RESPONSES, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="One meeting: who was present, apologies, agenda, action points",
)
def meeting(
    id: str = Path(
        description="Last path segment of the meeting IRI (coordination-committee-2016-05-26), a "
        "short id (6MSP, msp-6, 2RC-part-1), or the IRI"
    ),
    fmt: str = Depends(detail_format),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Everything the record says about one meeting, each part with its passages."""
    id = IriScheme(queries.base_iri).key("meeting", id) or id  # the IRI (`iri` of /meetings)
    if not SEGMENT.match(id):
        raise BadParameter(
            f"{id!r} is not a meeting id.", "Use the last path segment of a meeting IRI."
        )
    return detail_answer(service.meeting(queries, id), fmt)
