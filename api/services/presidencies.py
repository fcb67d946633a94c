"""President, President-designate and past President roles, by State and period."""

from __future__ import annotations

from functools import partial
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Presidency
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import state
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, integer, local_name, text
from ccmkg.api.services.between_writes import kept
from ccmkg.api.services.holdings import (
    facts_then_passages,
    fold_holdings,
    in_period,
    unpacked,
    unpacked_days,
)
from ccmkg.api.services.passages import with_details
from ccmkg.model.iri import NUMBERED_MEETINGS
from ccmkg.model.vocab import vocabulary
from ccmkg.store import Rows


def _role(iri: str | None) -> str | None:
    """The slug of a presidency role IRI (from the ontology), else its local name."""
    term = vocabulary().roles.by_iri(iri or "")
    return term.slug if term else (local_name(iri) if iri else None)


def _series(class_iri: str | None) -> str | None:
    """ "MSP" or "RC" for the class of a numbered meeting, else None."""
    kind = vocabulary().meeting_kinds.by_iri(class_iri or "")
    return NUMBERED_MEETINGS.get(kind.slug) if kind else None


def _meeting(row: Row) -> dict[str, Any] | None:
    iri = text(row, "meeting")
    if iri is None:
        return None
    kind = _series(text(row, "meetingClass"))
    ordinal = integer(row, "ordinal")
    label = text(row, "meetingLabel") or (f"{ordinal}{kind}" if ordinal and kind else None)
    return {"id": iri, "label": label, "kind": kind, "ordinal": ordinal}


def _build(row: Row) -> dict[str, Any]:
    return {
        "meeting": _meeting(row),
        "state": state(row),
        "role": _role(text(row, "role")),
    }


def _order(item: Presidency) -> tuple[str, int, str, str]:
    """Start, meeting, role, then the holding's IRI: a total order, so that pages laid end to
    end are the whole list whatever order the store gives rows in."""
    ordinal = (item.meeting.ordinal if item.meeting else None) or 0
    return (item.start or "", ordinal, item.role, item.id)


def presidencies(
    queries: Queries,
    *,
    state: str | None = None,
    period: Period = Period(None, None),
    sources: bool = True,
) -> Listing[Presidency]:
    """Roles of the State (IRI; any if None) meeting `period`, in order of start and meeting.

    The roles and their passages are read apart, at the same time, and joined
    (`facts_then_passages`). A State that never held a role is answered from the States that
    did (api_presidency_holders, kept until the next write), with nothing more read. Without
    `sources` (GET /presidencies?sources=none) the passages are not read at all: the roles
    come with their attestation dates only (api_presidency_dates), and no source."""
    bound = {"state": local_name(state) if state else None}
    if state is not None:  # most States never held a role: their answer is empty, nothing read
        holders, answers = kept(queries, "presidency-holders", partial(_holders, queries))
        if state not in holders:
            return Listing([], *answers)
    second = "api_presidency_passages" if sources else "api_presidency_dates"
    facts, found = queries.run_many([("api_presidency_facts", bound), (second, bound)])
    if not sources:
        rows = facts_then_passages(facts.rows, unpacked_days(found.rows))
        return Listing(_chosen(rows, period), facts, found)
    rows, read = with_details(
        queries, facts_then_passages(facts.rows, unpacked(found.rows)), reference=True
    )
    return Listing(_chosen(rows, period), facts, found, *read)


def _holders(queries: Queries) -> tuple[set[str], list[Rows]]:
    """The IRIs of the States that hold or held a presidency role, and the answer read."""
    answer = queries.run("api_presidency_holders")
    return {found for row in answer.rows if (found := text(row, "state"))}, [answer]


def _chosen(rows: list[Row], period: Period) -> list[Presidency]:
    """The roles folded from `rows` that meet `period`, in order."""
    items = [Presidency.model_validate(i) for i in fold_holdings(rows, _build)]
    chosen = [i for i in items if in_period(i, period)]
    chosen.sort(key=_order)
    return chosen
