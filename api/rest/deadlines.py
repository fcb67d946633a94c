"""Deadlines, extensions and completions folded from the named queries, with a status as of a day.

Status (as of a day, default today):
- `met`: a completion (or, for Article 7, a report submitted) is recorded on or before that day
  (a completion the sources do not date counts too; `completed_late` says if it came after the
  deadline in force);
- `overdue`: the deadline in force has passed and no completion is recorded;
- `extended`: not yet due, and an extension was granted (the deadline in force is its new one);
- `pending`: not yet due.
The deadline in force is the derived one, or the latest new deadline an extension granted by
that day sets. Derived values say `derived: true` and name their rule; reported values keep
their sources.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ccmkg.api.rest.refs import CCM
from ccmkg.api.rest.terms import Row, day, integer, local_name, text

TYPE_SLUG = {
    CCM + "StockpileDestruction": "stockpile-destruction",
    CCM + "Clearance": "clearance",
    CCM + "InitialReport": "initial-report",
    CCM + "AnnualReport": "annual-report",
}
EVENT_SLUG = {
    CCM + "ExtensionRequested": "extension-requested",
    CCM + "ExtensionGranted": "extension-granted",
    CCM + "CompletionDeclared": "completion-declared",
    CCM + "ReportSubmitted": "report-submitted",
}
STATUSES = ("met", "extended", "overdue", "pending")


def last_day(value: str | None) -> str | None:
    """A day, or the last day of a month (YYYY-MM) or year (YYYY): the latest it can mean."""
    if not value:
        return None
    if len(value) >= 10:
        return value[:10]
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(y, m)[1]:02d}"
    return f"{value[:4]}-12-31"


def source_of(row: Row) -> dict[str, Any] | None:
    """A reference page (`url`, `retrieved`) or a document passage (`document`, `quote`)."""
    src = text(row, "source")
    if src is None:
        return None
    out: dict[str, Any] = {"id": src}
    if text(row, "sourceUrl"):
        out.update(url=text(row, "sourceUrl"), retrieved=day(row, "retrieved"))
    if text(row, "doc"):
        out.update(document=text(row, "doc"), quote=text(row, "quote"))
    return out


def fold_events(rows: Iterable[Row]) -> dict[str, list[dict[str, Any]]]:
    """Obligation IRI → its events, each with the values and the sources that give them."""
    events: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = text(row, "event") or ""
        ev = events.get(iri)
        if ev is None:
            ev = events[iri] = {
                "id": iri,
                "obligation": text(row, "obligation"),
                "type": EVENT_SLUG.get(text(row, "eventType") or ""),
                "dates": [],
                "meeting": None,
                "previous_deadline": [],
                "requested_deadline": [],
                "new_deadline": [],
                "sources": [],
            }
        for field, column in (
            ("dates", "date"),
            ("dates", "partialDate"),
            ("previous_deadline", "previousDeadline"),
            ("requested_deadline", "requestedDeadline"),
            ("new_deadline", "newDeadline"),
        ):
            value = text(row, column)
            if value and value not in ev[field]:
                ev[field].append(value)
        meeting = text(row, "meeting")
        if meeting:
            m = ev["meeting"] or {"id": meeting, "label": text(row, "meetingLabel"), "date": None}
            when = day(row, "meetingDate")
            if when and (m["date"] is None or when < m["date"]):
                m["date"] = when
            ev["meeting"] = m
        src = source_of(row)
        if src and src not in ev["sources"]:
            ev["sources"].append(src)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in events.values():
        for field in ("dates", "previous_deadline", "requested_deadline", "new_deadline"):
            ev[field].sort()
        out[ev["obligation"] or ""].append(ev)
    return out


def _event_day(ev: dict[str, Any]) -> str | None:
    """The latest day the event's dates can mean, else its meeting's first day."""
    days = [last_day(d) for d in ev["dates"]]
    known = [d for d in days if d]
    if known:
        return min(known)
    return (ev["meeting"] or {}).get("date")


def status_of(item: dict[str, Any], events: list[dict[str, Any]], as_of: dt.date) -> None:
    """Fill `current_due`, `status`, `extensions` and `completion` of one deadline item."""
    today = as_of.isoformat()
    due = item["due"]
    current = due
    extensions = [e for e in events if e["type"] in ("extension-requested", "extension-granted")]
    granted = False
    for ev in extensions:
        if ev["type"] != "extension-granted":
            continue
        when = _event_day(ev)
        if when is not None and when > today:
            continue
        granted = True
        for new in ev["new_deadline"]:
            end = last_day(new)
            if end and (current is None or end > current):
                current = end
    done = [e for e in events if e["type"] in ("completion-declared", "report-submitted")]
    if item["type"] == "annual-report":  # a submission counts for the year it falls in
        done = [
            e
            for e in done
            if (d := _event_day(e)) is not None and due is not None and due[:4] == d[:4]
        ]
    completion = None
    for ev in done:
        when = _event_day(ev)
        if when is None or when <= today:
            completion = {
                "id": ev["id"],
                "date": (ev["dates"] or [None])[0],
                "meeting": ev["meeting"],
                "sources": ev["sources"],
            }
            break
    if completion is not None:
        status = "met"
        when = last_day(completion["date"]) if completion["date"] else None
        item["completed_late"] = bool(when and current and when > current)
    elif current is not None and today > current:
        status = "overdue"
    elif granted:
        status = "extended"
    else:
        status = "pending"
    item.update(
        current_due=current,
        status=status,
        as_of=today,
        extensions=[
            {
                "id": e["id"],
                "type": e["type"],
                "date": (e["dates"] or [None])[0],
                "meeting": e["meeting"],
                "previous_deadline": e["previous_deadline"],
                "requested_deadline": e["requested_deadline"],
                "new_deadline": e["new_deadline"],
                "sources": e["sources"],
            }
            for e in extensions
        ],
        completion=completion,
    )
    item.setdefault("completed_late", False)


def deadline_items(
    deadline_rows: Iterable[Row], event_rows: Iterable[Row], as_of: dt.date
) -> list[dict[str, Any]]:
    """One item per derived deadline, with its rule, its inputs and its status as of a day."""
    events = fold_events(event_rows)
    items: dict[str, dict[str, Any]] = {}
    for row in deadline_rows:
        iri = text(row, "deadline") or ""
        if iri in items:
            continue
        year = text(row, "reportYear")
        items[iri] = {
            "id": iri,
            "state": {
                "id": text(row, "state"),
                "iso3": text(row, "iso3"),
                "label": text(row, "stateLabel"),
            },
            "article": integer(row, "article"),
            "type": TYPE_SLUG.get(
                text(row, "obligationType") or "", local_name(text(row, "obligationType") or "")
            ),
            "obligation": text(row, "obligation"),
            "report_year": int(year[:4]) if year else None,
            "due": day(row, "due"),
            "derived": True,
            "rule": {
                "id": text(row, "rule"),
                "label": text(row, "ruleLabel"),
                "file": text(row, "ruleFile"),
            },
            "derived_from": {
                "entry_into_force": {"id": text(row, "eif"), "date": day(row, "eifDate")}
            },
        }
    out = list(items.values())
    for item in out:
        status_of(item, events.get(item["obligation"] or "", []), as_of)
    out.sort(key=lambda i: (i["current_due"] or "", i["state"]["iso3"] or "", i["type"]))
    return out
