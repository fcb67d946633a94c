"""GET /states and GET /states/{iso}: signatories and States Parties, their dates and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_choice, parse_date, parse_page, parse_state
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.sources import fold_rows
from ccmkg.api.rest.terms import Row, day, local_name, text
from ccmkg.api.routes.deadlines import deadlines_for
from ccmkg.errors import NotFound

router = APIRouter(tags=["states"])
STATUSES = ["state-party", "signatory"]
EIF_RULE = (
    "Article 17: 1 August 2010, or the first day of the sixth month after the month of deposit, "
    "whichever is later"
)


def _claims(item: dict[str, Any], row: Row) -> None:
    key = "signature" if text(row, "actionType") == "signature" else "instrument"
    claim = {
        "type": text(row, "actionType"),
        "date": day(row, "date"),
        "source": {
            "id": text(row, "source"),
            "url": text(row, "sourceUrl"),
            "retrieved": day(row, "retrieved"),
        },
    }
    bucket = item[key]
    if claim not in bucket["claims"]:
        bucket["claims"].append(claim)


def _settle(item: dict[str, Any]) -> dict[str, Any]:
    """The values: the earliest date, the kind most sources give; `conflict` when they differ."""
    for key in ("signature", "instrument"):
        claims = item[key]["claims"]
        if not claims:
            item[key] = None
            continue
        dates = sorted({c["date"] for c in claims if c["date"]})
        kinds = [c["type"] for c in claims]
        item[key].update(
            date=dates[0] if dates else None,
            type=max(set(kinds), key=kinds.count),
            conflict=len(dates) > 1 or len(set(kinds)) > 1,
        )
    item["status"] = "state-party" if item["instrument"] else "signatory"
    item.pop("sources", None)
    return item


def state_items(rows: Iterable[Row]) -> list[dict[str, Any]]:
    def build(row: Row) -> dict[str, Any]:
        eif = text(row, "eif")
        return {
            "id": text(row, "state"),
            "iso3": text(row, "iso3"),
            "label": text(row, "stateLabel"),
            "status": None,
            "signature": {"claims": []},
            "instrument": {"claims": []},
            "entry_into_force": None
            if eif is None
            else {
                "id": eif,
                "date": day(row, "eifDate"),
                "derived": True,
                "rule": {"id": text(row, "eifRule"), "text": EIF_RULE},
            },
        }

    items = [_settle(i) for i in fold_rows(rows, "state", build, _claims)]
    items.sort(key=lambda i: i["iso3"] or "")
    return items


@router.get(
    "/states",
    response_model=None,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="States that signed or joined the Convention, with dates and entry into force",
)
def states(
    request: Request,
    status: str | None = Query(None, description="state-party or signatory"),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Signature and instrument with every source's date; entry into force derived (Art. 17)."""
    wanted = parse_choice("status", status, STATUSES)
    page = parse_page(limit, offset)
    items = state_items(run(request, "api_states").rows)
    items = [i for i in items if wanted is None or i["status"] == wanted]
    return page_answer(request, format, items, page)


def _posts(request: Request, state_iri: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Presidencies (reference and documents) and other posts held; meetings attended."""
    iso3 = local_name(state_iri)
    posts: dict[str, dict[str, Any]] = {}
    for row in run(request, "meeting_presidents").rows:
        if text(row, "iso3") != iso3:
            continue
        key = text(row, "meeting") or ""
        post = posts.setdefault(
            key,
            {
                "kind": "president",
                "meeting": {"id": key, "label": text(row, "label"), "dates": []},
                "persons": [],
                "sources": [],
            },
        )
        for field, value in (("persons", text(row, "personName")),):
            if value and value not in post[field]:
                post[field].append(value)
        when = day(row, "date")
        if when and when not in post["meeting"]["dates"]:
            post["meeting"]["dates"].append(when)
        src = text(row, "sourceUrl") or text(row, "doc")
        if src and src not in post["sources"]:
            post["sources"].append(src)
    timeline = run(request, "api_actor_timeline", {"actor": state_iri}).rows
    held: dict[str, dict[str, Any]] = {}
    attended: dict[str, dict[str, Any]] = {}
    for row in timeline:
        kind = text(row, "kind") or ""
        target = attended if kind == "attended" else held if kind != "apology" else None
        if target is None or kind in ("chaired", "obligation"):
            continue
        key = text(row, "fact") or ""
        entry = target.setdefault(
            key,
            {
                "kind": kind,
                "ref": text(row, "ref"),
                "label": text(row, "label"),
                "date": day(row, "date"),
                "sources": [],
            },
        )
        doc = text(row, "doc")
        if doc and doc not in entry["sources"]:
            entry["sources"].append(doc)
    return [*posts.values(), *held.values()], list(attended.values())


@router.get(
    "/states/{iso}",
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="One State: dates, deadlines, extensions, completions, posts and meetings",
)
def state(
    request: Request,
    iso: str = Path(description="ISO 3166-1 alpha-3 (or alpha-2, or a name)"),
    as_of: str | None = Query(None, description="Deadline status as of this day (default today)"),
) -> dict[str, Any]:
    """Everything the reference data and the documents say about one State, with sources."""
    state_iri = parse_state(settings_of(request), iso) or ""
    when = parse_date("as_of", as_of) or dt.date.today()
    found = state_items(run(request, "api_states", {"state": local_name(state_iri)}).rows)
    if not found:
        raise NotFound(
            f"No signature or instrument is recorded for {iso!r}.",
            "List States with GET /states; load the reference data with `ccmkg load --reference`.",
        )
    item = found[0]
    item["deadlines"] = deadlines_for(request, state_iri, when)
    posts, meetings = _posts(request, state_iri)
    item["posts"] = posts
    item["meetings_attended"] = sorted(meetings, key=lambda m: m["date"] or "")
    return item
