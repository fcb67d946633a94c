"""GET /persons?q= and GET /persons/{id}: the people in the record and their affiliations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import ErrorBody, PersonDetail, PersonList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_page
from ccmkg.api.rest.refs import MEETING_KIND, actor, meeting_segment
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.sources import add_unique, fold_rows
from ccmkg.api.rest.terms import Row, day, text
from ccmkg.errors import NotFound
from ccmkg.naming import fold, squash

router = APIRouter(tags=["persons"])


def _persons(request: Request, iri: str | None = None) -> list[dict[str, Any]]:
    def build(row: Row) -> dict[str, Any]:
        return {
            "id": text(row, "person"),
            "name": text(row, "name"),
            "key": text(row, "nameKey"),
            "spellings": [],
            "honorifics": [],
        }

    def more(item: dict[str, Any], row: Row) -> None:
        add_unique(item, "spellings", text(row, "spelling"))
        add_unique(item, "honorifics", text(row, "honorific"))

    items = fold_rows(run(request, "api_persons", {"person": iri}).rows, "person", build, more)
    for item in items:
        item.pop("sources", None)
        honorifics = item.pop("honorifics")
        item["honorific"] = honorifics[0] if honorifics else None
        item["needs_review"] = False
    return items


def _matches(item: dict[str, Any], q: str) -> bool:
    """Accent-, case- and punctuation-insensitive: 'masmejan' finds 'Masméjan'."""
    needle = squash(q)
    names = [item.get("key"), item.get("name"), *item["spellings"]]
    return bool(needle) and any(needle in squash(n) for n in names if n)


@router.get(
    "/persons",
    response_model=PersonList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Persons named in the record (search ignores accents and case)",
)
def persons(
    request: Request,
    q: str | None = Query(
        None, description="Part of a name; accents, case and punctuation ignored"
    ),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    page = parse_page(limit, offset)
    items = _persons(request)
    if q:
        items = [i for i in items if _matches(i, q)]
    items.sort(key=lambda i: fold(i["name"] or i["id"]))
    return page_answer(request, format, items, page)


def _meetings(rows: Sequence[Row]) -> list[dict[str, Any]]:
    def build(row: Row) -> dict[str, Any]:
        iri = text(row, "meeting") or ""
        return {
            "meeting": {
                "id": meeting_segment(iri),
                "iri": iri,
                "date": day(row, "date"),
                "kind": MEETING_KIND.get(text(row, "kindClass") or ""),
                "title": text(row, "title"),
            },
            "delegation": actor(row, "delegation"),
            "role": text(row, "role"),
        }

    items = fold_rows(rows, "participation", build)
    items.sort(key=lambda i: i["meeting"]["date"] or "")
    return items


@router.get(
    "/persons/{id}",
    response_model=PersonDetail,
    responses={404: {"model": ErrorBody}},
    summary="One person: spellings, and the meetings attended for each delegation",
)
def person(
    request: Request, id: str = Path(description="Name key (last segment of the person IRI)")
) -> dict[str, Any]:
    iri = (
        id
        if id.startswith(("http://", "https://"))
        else f"{settings_of(request).base_iri}id/person/{id}"
    )
    found = _persons(request, iri)
    if not found:
        raise NotFound(f"No person {id!r} in the record.", "Search with GET /persons?q=…")
    item = found[0]
    item["meetings"] = _meetings(run(request, "api_person_meetings", {"person": iri}).rows)
    return item
