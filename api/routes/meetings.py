"""GET /meetings and GET /meetings/{id}: who met when, who was there, what was decided."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import ErrorBody, MeetingDetail, MeetingList
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import (
    MEETING_KINDS,
    parse_choice,
    parse_page,
    parse_period,
    parse_state,
)
from ccmkg.api.rest.refs import CCM, FORMAT, MEETING_KIND, actor, meeting_segment, within
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.sources import add_source, fold_rows
from ccmkg.api.rest.terms import Row, boolean, day, integer, text
from ccmkg.errors import BadParameter, NotFound

router = APIRouter(tags=["meetings"])
SEGMENT = r"^[A-Za-z0-9._~-]+$"


def meeting_item(row: Row) -> dict[str, Any]:
    iri = text(row, "meeting") or ""
    return {
        "id": meeting_segment(iri),
        "iri": iri,
        "date": day(row, "date"),
        "date_inferred": boolean(row, "dateInferred"),
        "end_date": day(row, "endDate"),
        "kind": MEETING_KIND.get(text(row, "kindClass") or ""),
        "title": text(row, "title") or text(row, "label"),
        "label": text(row, "label"),
        "ordinal": integer(row, "ordinal"),
        "ordinal_scope": text(row, "ordinalScope"),
        "venue": text(row, "venue"),
        "start_time": text(row, "startTime"),
        "end_time": text(row, "endTime"),
        "format": FORMAT.get(text(row, "format") or ""),
        "chair": actor(row, "chair"),
        "chair_person": _chair_person(row),
    }


def _chair_person(row: Row) -> dict[str, Any] | None:
    iri = text(row, "chairPerson")
    return None if iri is None else {"id": iri, "name": text(row, "chairPersonName")}


def all_meetings(request: Request, meeting: str | None = None) -> list[dict[str, Any]]:
    rows = run(request, "api_meetings", {"meeting": meeting})
    return fold_rows(rows.rows, "meeting", meeting_item, complete=True)


def _attended_by(request: Request, actor_iri: str) -> set[str]:
    rows = run(request, "api_actor_timeline", {"actor": actor_iri})
    return {text(r, "ref") or "" for r in rows.rows if text(r, "kind") == "attended"}


def _person_iri(request: Request, value: str) -> str:
    base = settings_of(request).base_iri
    return value if value.startswith(("http://", "https://")) else f"{base}id/person/{value}"


def _attended_by_person(request: Request, person: str) -> set[str]:
    rows = run(request, "api_person_meetings", {"person": _person_iri(request, person)})
    return {text(r, "meeting") or "" for r in rows.rows}


@router.get(
    "/meetings",
    response_model=MeetingList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="Meetings, filtered by period, kind, State or person",
)
def meetings(
    request: Request,
    from_: str | None = Query(None, alias="from", description="First day (YYYY-MM-DD)"),
    to: str | None = Query(None, description="Last day (YYYY-MM-DD)"),
    kind: str | None = Query(None, description="One of: " + ", ".join(MEETING_KINDS)),
    state_: str | None = Query(None, alias="state", description="Meetings this State attended"),
    person: str | None = Query(None, description="Meetings this person attended (id or IRI)"),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Meetings in date order; each cites the passage that records it."""
    period = parse_period(start=from_, end=to)
    chosen_kind = parse_choice("kind", kind, list(MEETING_KINDS))
    state_iri = parse_state(settings_of(request), state_)
    page = parse_page(limit, offset)
    items = [
        m
        for m in all_meetings(request)
        if within(m["date"], period.start, period.end)
        and (chosen_kind is None or m["kind"] == chosen_kind)
    ]
    if state_iri:
        attended = _attended_by(request, state_iri)
        items = [m for m in items if m["iri"] in attended]
    if person:
        attended = _attended_by_person(request, person)
        items = [m for m in items if m["iri"] in attended]
    items.sort(key=lambda m: (m["date"] or "", m["id"]))
    return page_answer(request, format, items, page)


def _presence(rows: Sequence[Row]) -> list[dict[str, Any]]:
    def build(row: Row) -> dict[str, Any]:
        return {"actor": actor(row, "actor"), "persons": []}

    def more(item: dict[str, Any], row: Row) -> None:
        person = text(row, "person")
        if person is None:
            return
        found = next((p for p in item["persons"] if p["id"] == person), None)
        if found is None:
            found = {
                "id": person,
                "name": text(row, "name"),
                "honorific": text(row, "honorific"),
                "role": text(row, "role"),
                "sources": [],
            }
            item["persons"].append(found)
        add_source(found, row, prefix="p")

    return fold_rows(rows, "attendance", build, more)


def _apologies(rows: Sequence[Row]) -> list[dict[str, Any]]:
    def build(row: Row) -> dict[str, Any]:
        return {"actor": actor(row, "actor"), "received": boolean(row, "received")}

    return fold_rows(rows, "apology", build)


RECORD_FIELD = {
    CCM + "AgendaItem": "agenda",
    CCM + "ActionPoint": "action_points",
    CCM + "MinutesApproval": "previous_minutes_approved",
    CCM + "NextMeetingAnnouncement": "next_meeting",
}


def _records(rows: Sequence[Row]) -> dict[str, list[dict[str, Any]]]:
    def build(row: Row) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": text(row, "record"),
            "_field": RECORD_FIELD.get(text(row, "recordClass") or ""),
        }
        field = item["_field"]
        if field in ("agenda", "action_points"):
            item.update(
                number=text(row, "number"),
                text=text(row, "text"),
                responsible=text(row, "responsible"),
                due=day(row, "due"),
            )
        else:
            item.update(date=day(row, "date"))
            if field == "next_meeting":
                item["text"] = text(row, "text")
        return item

    out: dict[str, list[dict[str, Any]]] = {f: [] for f in RECORD_FIELD.values()}
    for item in fold_rows(rows, "record", build):
        field = item.pop("_field")
        if field:
            out[field].append(item)
    out["agenda"].sort(
        key=lambda i: [int(p) if p.isdigit() else 0 for p in (i["number"] or "").split(".")]
    )
    return out


@router.get(
    "/meetings/{id}",
    response_model=MeetingDetail,
    responses={404: {"model": ErrorBody}},
    summary="One meeting: who was present, apologies, agenda, action points",
)
def meeting(
    request: Request,
    id: str = Path(
        description="Last path segment of the meeting IRI, e.g. coordination-committee-2016-05-26"
    ),
) -> dict[str, Any]:
    """Everything the record says about one meeting, each part with its passages."""
    import re

    if not re.match(SEGMENT, id):
        raise BadParameter(
            f"{id!r} is not a meeting id.", "Use the last path segment of a meeting IRI."
        )
    iri = f"{settings_of(request).base_iri}id/meeting/{id}"
    found = all_meetings(request, iri)
    if not found:
        raise NotFound(f"No meeting {id!r}.", "List meetings with GET /meetings; use their `id`.")
    item = found[0]
    item["present"] = _presence(run(request, "api_meeting_attendance", {"meeting": iri}).rows)
    item["apologies"] = _apologies(run(request, "api_meeting_apologies", {"meeting": iri}).rows)
    item.update(_records(run(request, "api_meeting_records", {"meeting": iri}).rows))
    return item
