"""States that signed or joined the Convention: their dates, with every source's, and in full
one State with its deadlines, the posts it held and the meetings it attended.

A State's signature and instrument keep each source's claim; the value shown is the earliest
day and the kind most sources give, with `conflict` when the sources disagree. Its entry into
force is derived by Article 17 (rule `entry_into_force`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import (
    CitedSource,
    DerivationRule,
    EntryIntoForce,
    MeetingOfPresidency,
    PresidencyHeld,
    State,
    StateDetail,
    StateFact,
    TreatyAction,
    TreatyActionClaim,
)
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, local_name, text
from ccmkg.api.services import deadlines as deadline_service
from ccmkg.api.services.folding import fold_rows
from ccmkg.api.services.passages import with_details
from ccmkg.errors import NotFound
from ccmkg.store import Rows

EIF_RULE = (
    "Article 17: 1 August 2010, or the first day of the sixth month after the month of deposit, "
    "whichever is later"
)


def _build(row: Row) -> dict[str, Any]:
    eif = text(row, "eif")
    return {
        "id": text(row, "state"),
        "iso3": text(row, "iso3"),
        "label": text(row, "stateLabel"),
        "signature": [],
        "instrument": [],
        "entry_into_force": None
        if eif is None
        else EntryIntoForce(
            id=eif,
            date=day(row, "eifDate"),
            rule=DerivationRule(id=text(row, "eifRule"), text=EIF_RULE),
        ),
    }


def _claim(item: dict[str, Any], row: Row) -> None:
    kind = text(row, "actionType")
    claim = TreatyActionClaim(
        type=kind,
        date=day(row, "date"),
        source=CitedSource(
            id=text(row, "source"), url=text(row, "sourceUrl"), retrieved=day(row, "retrieved")
        ),
    )
    bucket = item["signature" if kind == "signature" else "instrument"]
    if claim not in bucket:
        bucket.append(claim)


def _settle(claims: list[TreatyActionClaim]) -> TreatyAction | None:
    """The earliest date, the kind most sources give; `conflict` when they differ."""
    if not claims:
        return None
    dates = sorted({c.date for c in claims if c.date})
    kinds = [c.type for c in claims]
    # A tie between kinds goes to the first in sorted order, never to a set's hash order, so
    # the answer is the same on every run; `conflict` and `claims` show the disagreement.
    kind = min(sorted(set(kinds), key=str), key=lambda k: -kinds.count(k))
    ordered = sorted(claims, key=lambda c: (str(c.type), c.date or "", str(c.source.id)))
    return TreatyAction(
        date=dates[0] if dates else None,
        type=kind,
        conflict=len(dates) > 1 or len(set(kinds)) > 1,
        claims=ordered,
    )


def state_items(rows: Iterable[Row]) -> list[State]:
    """One State per IRI in the rows of api_states, ordered by ISO code."""
    found = []
    for item in fold_rows(rows, "state", _build, _claim):
        instrument = _settle(item["instrument"])
        found.append(
            State(
                id=item["id"],
                iso3=item["iso3"],
                label=item["label"],
                status="state-party" if instrument else "signatory",
                signature=_settle(item["signature"]),
                instrument=instrument,
                entry_into_force=item["entry_into_force"],
            )
        )
    return sorted(found, key=lambda s: s.iso3 or "")


def states(queries: Queries, *, status: str | None = None) -> Listing[State]:
    """Every State with a signature or an instrument, of `status` (any if None)."""
    rows = queries.run("api_states")
    return Listing([s for s in state_items(rows.rows) if status in (None, s.status)], rows)


def _presidencies(rows: Rows, iso3: str) -> list[PresidencyHeld]:
    """The meetings the State presided: reference data and documents, one per meeting."""
    posts: dict[str, PresidencyHeld] = {}
    for row in rows.rows:
        if text(row, "iso3") != iso3:
            continue
        key = text(row, "meeting") or ""
        post = posts.get(key)
        if post is None:
            post = posts[key] = PresidencyHeld(
                meeting=MeetingOfPresidency(id=key, label=text(row, "label"))
            )
        for values, value in (
            (post.persons, text(row, "personName")),
            (post.meeting.dates, day(row, "date")),
            (post.sources, text(row, "sourceUrl") or text(row, "doc")),
        ):
            if value and value not in values:
                values.append(value)
    return list(posts.values())


def _timeline(rows: Sequence[Row]) -> tuple[list[StateFact], list[StateFact]]:
    """Posts held and meetings attended, from the documents (chairs, obligations, apologies
    are left to GET /actors/{id}/timeline)."""
    held: dict[str, StateFact] = {}
    attended: dict[str, StateFact] = {}
    for row in rows:
        kind = text(row, "kind") or ""
        if kind in ("apology", "chaired", "obligation"):
            continue
        target = attended if kind == "attended" else held
        key = text(row, "fact") or ""
        fact = target.get(key)
        if fact is None:
            fact = target[key] = StateFact(
                kind=kind, ref=text(row, "ref"), label=text(row, "label"), date=day(row, "date")
            )
        doc = text(row, "doc")
        if doc and doc not in fact.sources:
            fact.sources.append(doc)
    return list(held.values()), sorted(attended.values(), key=lambda m: m.date or "")


def state(queries: Queries, state_iri: str, *, as_of: dt.date | None = None) -> StateDetail:
    """Everything the reference data and the documents say about one State, with sources:
    its dates, its deadlines with their status as of `as_of` (default today), the meetings it
    presided and the posts it held, the meetings it attended.

    Raises:
        NotFound: no signature or instrument is recorded for the State.
    """
    iso3 = local_name(state_iri)
    rows = queries.run("api_states", {"state": iso3})
    found = state_items(rows.rows)
    if not found:
        raise NotFound(
            f"No signature or instrument is recorded for {iso3!r}.",
            "List States with GET /states; load the reference data with `ccmkg load --reference`.",
        )
    deadlines = deadline_service.deadlines(queries, state=state_iri, as_of=as_of)
    presided = queries.run("meeting_presidents", {"state": state_iri})
    timeline = queries.run("api_actor_timeline", {"actor": state_iri})
    detailed, read = with_details(queries, timeline.rows)
    held, attended = _timeline(detailed)
    answers = (rows, *deadlines.answers, presided, timeline, *read)
    return StateDetail(
        **found[0].model_dump(),
        deadlines=list(deadlines.items),
        posts=[*_presidencies(presided, iso3), *held],
        meetings_attended=attended,
        truncated=any(answer.truncated for answer in answers),
    )
