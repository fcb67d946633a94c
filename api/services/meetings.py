"""Meetings: the list (by period, kind, State or person attending), and one meeting in full."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import (
    ApologyItem,
    Meeting,
    MeetingDetail,
    MinutesApproved,
    NextMeeting,
    Presence,
    TextItem,
)
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import actor, meeting_format, meeting_kind, meeting_segment, within
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, boolean, day, integer, text
from ccmkg.api.services.between_writes import kept
from ccmkg.api.services.folding import add_source, disputed_fields, fold_rows
from ccmkg.api.services.passages import with_details
from ccmkg.errors import NotFound
from ccmkg.model.iri import IriScheme, meeting_key
from ccmkg.model.terms import CCM
from ccmkg.store import Rows


def _meeting_item(row: Row) -> dict[str, Any]:
    iri = text(row, "meeting") or ""
    return {
        "id": meeting_segment(iri),
        "iri": iri,
        "date": day(row, "date"),
        "date_inferred": boolean(row, "dateInferred"),
        "end_date": day(row, "endDate"),
        "kind": meeting_kind(text(row, "kindClass")),
        "title": text(row, "title") or text(row, "label"),
        "label": text(row, "label"),
        "ordinal": integer(row, "ordinal"),
        "ordinal_scope": text(row, "ordinalScope"),
        "venue": text(row, "venue"),
        "start_time": text(row, "startTime"),
        "end_time": text(row, "endTime"),
        "format": meeting_format(text(row, "format")),
        "chair": actor(row, "chair"),
        "chair_person": _chair_person(row),
    }


def _chair_person(row: Row) -> dict[str, Any] | None:
    iri = text(row, "chairPerson")
    return None if iri is None else {"id": iri, "name": text(row, "chairPersonName")}


# Scalar facts of a meeting that two documents can state differently.
_DISPUTABLE = ("date", "end_date", "venue", "ordinal", "title")


def _fold_meetings(rows: Sequence[Row]) -> list[dict[str, Any]]:
    items = fold_rows(rows, "meeting", _meeting_item, complete=True)
    disputed = disputed_fields(rows, "meeting", _meeting_item, _DISPUTABLE)
    for item in items:
        item["disputed"] = disputed.get(item["iri"], {})
        for field, values in item["disputed"].items():
            item[field] = values[0]  # the first in order, so the answer never varies
    return items


def _person_iri(queries: Queries, value: str) -> str:
    base = queries.base_iri
    return (
        value
        if value.startswith(("http://", "https://"))
        else str(IriScheme(base).mint("person", key=value))
    )


def meetings(
    queries: Queries,
    *,
    period: Period = Period(None, None),
    kind: str | None = None,
    state: str | None = None,
    person: str | None = None,
    offset: int = 0,
    limit: int | None = None,
    sources: bool = True,
) -> Listing[Meeting]:
    """Meetings dated in `period`, of `kind` (a slug), attended by the State (IRI) and by the
    person (name key or IRI); None means any. In date order; the items from `offset` on, at
    most `limit` of them (None: all), of a list whose `total` counts them all.

    The meetings are chosen and ordered from their dates alone (api_meeting_dates: with a State
    or person, of the meetings they attended only; else every meeting's, of the kind if one is
    asked, kept until the next write: `between_writes`), and the
    details and passages are read for the page only (api_meetings): reading every meeting's
    passages was most of the time at 1M triples (issue #16). A meeting's date is the earliest
    of those the documents state, as `_fold_meetings` shows it. The answers used to filter
    count for truncation too: a cut attendance list would drop meetings silently. Without
    `sources` (GET /meetings?sources=none) no passage is read: the page's meetings come from
    api_meetings_unsourced, with no source."""
    answers: list[Rows] = []
    bound = {"kindClass": kind}
    if state:
        answers.append(queries.run("api_actor_meetings", {"actor": state}))
    if person:
        iri = _person_iri(queries, person)
        answers.append(queries.run("api_person_meetings", {"person": iri}))
    # The kind is bound in the query: only its meetings are read, each of that kind; with a
    # State or person, only the meetings they attended (1M, one State: 106 -> ~20 ms).
    if answers:
        attended = set.intersection(*({text(r, "meeting") for r in a.rows} for a in answers))
        attended.discard(None)
        if not attended:
            return Listing([], *answers, total=0, offset=offset)
        iris = sorted(str(iri) for iri in attended)
        first, read = _first_days(queries.run_for("api_meeting_dates", "meeting", iris, bound))
    else:  # every meeting of the kind: kept until the next write (what chooses, not the items)
        first, read = kept(queries, ("meeting-dates", kind), partial(_every_date, queries, kind))
    answers += read
    chosen = sorted(
        (earliest, meeting_segment(iri), iri)
        for iri, earliest in first.items()
        if within(earliest or None, period.start, period.end)
    )
    page = [iri for _, _, iri in chosen[offset:][:limit]]
    if not page:
        return Listing([], *answers, total=len(chosen), offset=offset)
    if not sources:
        rows = queries.run_for("api_meetings_unsourced", "meeting", page, bound)
        folded = {i["iri"]: i for i in _fold_meetings(rows.rows)}
        items = [Meeting.model_validate(folded[iri]) for iri in page if iri in folded]
        return Listing(items, *answers, rows, total=len(chosen), offset=offset)
    rows = queries.run_for("api_meetings", "meeting", page, bound)
    detailed, read = with_details(queries, rows.rows)
    folded = {i["iri"]: i for i in _fold_meetings(detailed)}
    items = [Meeting.model_validate(folded[iri]) for iri in page if iri in folded]
    return Listing(items, *answers, rows, *read, total=len(chosen), offset=offset)


def _every_date(queries: Queries, kind: str | None) -> tuple[dict[str, str], list[Rows]]:
    """`_first_days` of every meeting (of `kind`, a class IRI, if not None)."""
    return _first_days(queries.run("api_meeting_dates", {"kindClass": kind}))


def _first_days(dated: Rows) -> tuple[dict[str, str], list[Rows]]:
    """Each meeting's earliest stated date ("" when none is), from an api_meeting_dates
    answer, and that answer."""
    days: dict[str, set[str]] = {}
    for row in dated.rows:
        found = days.setdefault(text(row, "meeting") or "", set())
        found.update(d for d in [day(row, "date")] if d)
    days.pop("", None)
    return {iri: min(found, default="") for iri, found in days.items()}, [dated]


def _presence(rows: Sequence[Row]) -> list[Presence]:
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

    return [Presence.model_validate(i) for i in fold_rows(rows, "attendance", build, more)]


def _apologies(rows: Sequence[Row]) -> list[ApologyItem]:
    def build(row: Row) -> dict[str, Any]:
        return {"actor": actor(row, "actor"), "received": boolean(row, "received")}

    return [ApologyItem.model_validate(i) for i in fold_rows(rows, "apology", build)]


RECORD_FIELD = {
    str(CCM.AgendaItem): "agenda",
    str(CCM.ActionPoint): "action_points",
    str(CCM.MinutesApproval): "previous_minutes_approved",
    str(CCM.NextMeetingAnnouncement): "next_meeting",
}


def _records(rows: Sequence[Row]) -> dict[str, list[dict[str, Any]]]:
    """Agenda items, action points, minutes approved, next meetings: each under its field."""

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


def meeting(queries: Queries, segment: str) -> MeetingDetail:
    """Everything the record says about the meeting `{base}id/meeting/{segment}`: who was
    present, apologies, agenda, action points, minutes approved, next meeting; each part with
    its passages.

    Raises:
        NotFound: no such meeting.
    """
    iri = str(IriScheme(queries.base_iri).mint("meeting", key=meeting_key(segment)))
    found = _fold_meetings(
        with_details(queries, queries.run("api_meetings", {"meeting": iri}).rows)[0]
    )
    if not found:
        raise NotFound(
            f"No meeting {segment!r}.", "List meetings with GET /meetings; use their `id`."
        )
    records = _records(queries.run("api_meeting_records", {"meeting": iri}).rows)
    return MeetingDetail(
        **Meeting.model_validate(found[0]).model_dump(),
        present=_presence(queries.run("api_meeting_attendance", {"meeting": iri}).rows),
        apologies=_apologies(queries.run("api_meeting_apologies", {"meeting": iri}).rows),
        agenda=[TextItem.model_validate(i) for i in records["agenda"]],
        action_points=[TextItem.model_validate(i) for i in records["action_points"]],
        previous_minutes_approved=[
            MinutesApproved.model_validate(i) for i in records["previous_minutes_approved"]
        ],
        next_meeting=[NextMeeting.model_validate(i) for i in records["next_meeting"]],
    )
