"""GET /working-groups: which working groups the record names, who leads or takes part, when.

One item per sentence about a group (a report): the group (its thematic area, or its topic),
the event (established, proposed, reported), the date the text gives it (null when it does not
say; the document's own date is `attested`), the States and organisations in it, the passages.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ccmkg.api.rest.listing import ListParams, list_params, with_sources
from ccmkg.api.rest.models import ErrorBody, WorkingGroupList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_area
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import working_groups as service
from ccmkg.errors import BadParameter
from ccmkg.model.resolve import resolver

router = APIRouter(tags=["machinery"])


@router.get(
    "/working-groups",
    response_model=WorkingGroupList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Working groups: established, proposed or reported on, who leads or takes part",
)
def working_groups(
    area_: str | None = Query(None, alias="area", description="Area slug or any alias label"),
    actor: str | None = Query(
        None,
        description="A State (ISO code or any name) or organisation (acronym or name) leading "
        "or taking part",
    ),
    page: ListParams = Depends(list_params),
    sources: bool = Depends(with_sources),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Every report on a working group matching the filters; each item cites its passage."""
    found = service.working_groups(
        queries, area=parse_area(area_), actor=_actor(actor), sources=sources
    )
    return page_answer(found, page, sources=sources)


def _actor(value: str | None) -> str | None:
    """An IRI as given; a State or organisation by any name, code or acronym → its ISO3 or
    acronym (the resolver `state=` uses everywhere); a name nothing knows is a 422."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return value
    known = resolver().actor(value, codes=True)
    if known is None:
        raise BadParameter(
            f"Unknown State or organisation {value!r}.",
            "Use an ISO 3166-1 code (NOR, NO), a State's name ('Norway'), an acronym (ISU), "
            "or the actor's IRI.",
        )
    return known.key
