"""Deadlines under Articles 3, 4 and 7, derived by declared rules, with a status as of a day.

Each deadline says it is derived, by which rule (`rule.file`), from which entry into force;
its extensions and completion keep their sources (reference pages or document passages). The
status rules are in `deadline_status`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import (
    CitedSource,
    Deadline,
    DerivationRule,
    DerivedFrom,
    EntryIntoForceRef,
    MeetingOfDeadline,
    StateRef,
)
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, integer, local_name, text
from ccmkg.api.services.deadline_status import Event, status_of
from ccmkg.model.terms import CCM

TYPE_SLUG = {
    str(CCM.StockpileDestruction): "stockpile-destruction",
    str(CCM.Clearance): "clearance",
    str(CCM.InitialReport): "initial-report",
    str(CCM.AnnualReport): "annual-report",
}
EVENT_SLUG = {
    str(CCM.ExtensionRequested): "extension-requested",
    str(CCM.ExtensionGranted): "extension-granted",
    str(CCM.CompletionDeclared): "completion-declared",
    str(CCM.ReportSubmitted): "report-submitted",
}


def source_of(row: Row) -> CitedSource | None:
    """A reference page (`url`, `retrieved`) or a document passage (`document`, `quote`)."""
    src = text(row, "source")
    if src is None:
        return None
    page, doc = text(row, "sourceUrl"), text(row, "doc")
    return CitedSource(
        id=src,
        url=page,
        retrieved=day(row, "retrieved") if page else None,
        document=doc,
        quote=text(row, "quote") if doc else None,
    )


def fold_events(rows: Iterable[Row]) -> dict[str, list[Event]]:
    """Obligation IRI → its events, each with the values and the sources that give them."""
    events: dict[str, Event] = {}
    obligation: dict[str, str] = {}
    for row in rows:
        iri = text(row, "event") or ""
        ev = events.get(iri)
        if ev is None:
            ev = events[iri] = Event(id=iri, type=EVENT_SLUG.get(text(row, "eventType") or ""))
            obligation[iri] = text(row, "obligation") or ""
        for values, column in (
            (ev.dates, "date"),
            (ev.dates, "partialDate"),
            (ev.previous_deadline, "previousDeadline"),
            (ev.requested_deadline, "requestedDeadline"),
            (ev.new_deadline, "newDeadline"),
        ):
            value = text(row, column)
            if value and value not in values:
                values.append(value)
        meeting = text(row, "meeting")
        if meeting:
            m = ev.meeting or MeetingOfDeadline(id=meeting, label=text(row, "meetingLabel"))
            when = day(row, "meetingDate")
            if when and (m.date is None or when < m.date):
                m.date = when
            ev.meeting = m
        src = source_of(row)
        if src and src not in ev.sources:
            ev.sources.append(src)
    out: dict[str, list[Event]] = defaultdict(list)
    for iri, ev in events.items():
        for values in (ev.dates, ev.previous_deadline, ev.requested_deadline, ev.new_deadline):
            values.sort()
        out[obligation[iri]].append(ev)
    return out


def _type(iri: str | None) -> str:
    return TYPE_SLUG.get(iri or "", local_name(iri or ""))


def deadline_items(
    deadline_rows: Iterable[Row], event_rows: Iterable[Row], as_of: dt.date
) -> list[Deadline]:
    """One deadline per derived deadline, with its rule, inputs and status as of `as_of`;
    ordered by the deadline in force, then State, then type."""
    events = fold_events(event_rows)
    items: dict[str, Deadline] = {}
    for row in deadline_rows:
        iri = text(row, "deadline") or ""
        if iri in items:
            continue
        kind = _type(text(row, "obligationType"))
        obligation = text(row, "obligation")
        due = day(row, "due")
        year = text(row, "reportYear")
        status = status_of(kind, due, events.get(obligation or "", []), as_of)
        items[iri] = Deadline(
            id=iri,
            state=StateRef(
                id=text(row, "state") or "", iso3=text(row, "iso3"), label=text(row, "stateLabel")
            ),
            article=integer(row, "article"),
            type=kind,
            obligation=obligation,
            report_year=int(year[:4]) if year else None,
            due=due,
            derived=True,
            rule=DerivationRule(
                id=text(row, "rule"), label=text(row, "ruleLabel"), file=text(row, "ruleFile")
            ),
            derived_from=DerivedFrom(
                entry_into_force=EntryIntoForceRef(id=text(row, "eif"), date=day(row, "eifDate"))
            ),
            current_due=status.current_due,
            status=status.status,
            as_of=as_of.isoformat(),
            completed_late=status.completed_late,
            extensions=status.extensions,
            completion=status.completion,
        )
    return sorted(items.values(), key=lambda d: (d.current_due or "", d.state.iso3 or "", d.type))


def deadlines(
    queries: Queries,
    *,
    state: str | None = None,
    article: int | None = None,
    status: str | None = None,
    period: Period = Period(None, None),
    as_of: dt.date | None = None,
) -> Listing[Deadline]:
    """The derived deadlines of the State (IRI; every State if None), of `article` and with
    `status` (any if None), whose deadline in force falls in `period`; status as of `as_of`
    (default today)."""
    key = local_name(state) if state else None
    rows = queries.run("api_deadlines", {"state": key})
    if not rows.rows:  # no deadline: no event can change the answer (and reading them all
        return Listing([], rows)  # took 20-50x api_deadlines at 1M triples, issue #16)
    events = queries.run("api_obligation_history", {"state": key})
    start = period.start.isoformat() if period.start else None
    end = period.end.isoformat() if period.end else None
    chosen = [
        d
        for d in deadline_items(rows.rows, events.rows, as_of or dt.date.today())
        if (article is None or d.article == article)
        and (status is None or d.status == status)
        and (start is None or (d.current_due or "") >= start)
        and (end is None or (d.current_due or "9999") <= end)
    ]
    return Listing(chosen, rows, events)
