"""Coordinator and Friend of the President holdings, filtered by area, State, period and role.

With an area and a period, the holdings are chosen first from their spans of days alone
(attestations and terms, no passages; held in memory between two writes: holding_spans), and
the passages are read for those holdings only; reading every passage of every holding of
the area and filtering in Python took 37x the time of the named query `coordinators_in_year`
at 1M triples (issue #16).
Otherwise one query gives each holding's own rows and its passage rows apart, joined here
(api_area_holdings for an area, api_coordinators for every area and topic): their product
(every passage once per mandate year and term) cost more to read than to find (without an
area at 1M triples: 2.0 s in process, against 0.24 s apart).
With `sources=False` (GET /coordinators?sources=none) no passage is read at all: the same
holdings are chosen the same way, and read with their attestation dates only
(api_coordinator_holding_unsourced, api_area_holdings_unsourced, api_coordinators_unsourced).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Coordinator
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import area, state
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, local_name, text
from ccmkg.api.services.holding_spans import chosen_holdings
from ccmkg.api.services.holdings import (
    facts_then_passages,
    fold_holdings,
    in_period,
    unpacked,
    unpacked_days,
)
from ccmkg.api.services.passages import with_details
from ccmkg.model.vocab import Term as Area
from ccmkg.model.vocab import vocabulary
from ccmkg.store import Rows


def _role(iri: str | None) -> str | None:
    term = vocabulary().roles.by_iri(iri or "")
    return term.slug if term and term.slug in ("coordinator", "friend") else None


ROLES = ["coordinator", "friend", "any"]


def _build(row: Row) -> dict[str, Any]:
    topic = text(row, "topic")
    return {
        "role": _role(text(row, "role")),
        # On a topic row `area` is only the bound parameter: the post covers no area.
        "area": None if topic else area(row),
        "topic": topic,
        "state": state(row),
    }


def _order(item: Coordinator) -> tuple[str, str, str]:
    key = item.area.slug if item.area else item.topic or ""
    return (key, item.start or "", item.state.iso3 or "")


# Beyond this many holdings in the period, one query for the area beats one per holding.
MAX_HOLDING_QUERIES = 8


def _joined(queries: Queries, answers: Sequence[Rows]) -> tuple[list[Row], list[Rows]]:
    """The rows `fold_holdings` folds, from the two kinds of row of api_area_holdings and
    api_coordinator_holding: each holding's own rows (with its role), and its passage rows
    (without), with the details of their passages; and the answers those were read from."""
    joined: list[Row] = []
    for answer in answers:
        facts: list[Row] = [row for row in answer.rows if row.get("role") is not None]
        passages: list[Row] = [row for row in answer.rows if row.get("role") is None]
        joined += facts_then_passages(facts, unpacked(passages))
    return with_details(queries, joined)


def coordinators(
    queries: Queries,
    *,
    area: Area | None = None,
    state: str | None = None,
    period: Period = Period(None, None),
    role: str = "coordinator",
    sources: bool = True,
) -> Listing[Coordinator]:
    """Holdings of the area (any if None) by the State (IRI; any if None) meeting `period`,
    in the role asked for (`coordinator`, `friend` or `any`), ordered by area, start, State;
    without `sources`, the same items with no source (no passage read)."""
    bound = {"area": area.slug if area else None, "state": local_name(state) if state else None}
    answers: list[Rows] = []
    if area is not None and (period.start or period.end):  # (a topic post has no area)
        chosen, answers = chosen_holdings(queries, area, state, period)
        if len(chosen) <= MAX_HOLDING_QUERIES:
            name = "api_coordinator_holding" if sources else "api_coordinator_holding_unsourced"
            each = queries.run_many([(name, {"holding": h}) for h in chosen])
            held, read = _joined(queries, each) if sources else (_dated(each), [])
            found = [Coordinator.model_validate(i) for i in fold_holdings(held, _build)]
            return Listing(_choose(found, area, period, role), *answers, *each, *read)
    if not sources:
        return _unsourced(queries, bound, area, period, role, answers)
    if area is None and (period.start or period.end):
        return _chosen_by_dates(queries, bound, period, role)
    # The holdings' own rows and their passage rows, not their product.
    if area is not None:
        answers.append(queries.run("api_area_holdings", bound))
    else:
        answers.append(queries.run("api_coordinators", {"state": bound["state"]}))
    rows, read = _joined(queries, answers[-1:])
    answers += read
    found = [Coordinator.model_validate(i) for i in fold_holdings(rows, _build)]
    return Listing(_choose(found, area, period, role), *answers)


# Beyond this many holdings chosen, one query for every holding beats binding the chosen ones
# (1M triples, in process: 16 bound 17 ms, all 178 ms).
MAX_BOUND_HOLDINGS = 100


def _chosen_by_dates(
    queries: Queries, bound: dict[str, str | None], period: Period, role: str
) -> Listing[Coordinator]:
    """Every area's holdings meeting `period`: chosen from their attestation dates and terms
    (api_coordinators_unsourced, no passage), then read with their sources for those only
    (api_coordinators bound to them). Reading every holding's sources and filtering took
    0.6 s at 1M triples for a year's 16 holdings (issue #16)."""
    state = {"state": bound["state"]}
    dated = queries.run("api_coordinators_unsourced", state)
    items = [Coordinator.model_validate(i) for i in fold_holdings(_dated([dated]), _build)]
    chosen = sorted(item.id for item in _choose(items, None, period, role))
    if not chosen:
        return Listing([], dated)
    if len(chosen) > MAX_BOUND_HOLDINGS:
        answer = queries.run("api_coordinators", state)
    else:
        answer = queries.run_for("api_coordinators", "holding", chosen, state)
    rows, read = _joined(queries, [answer])
    found = [Coordinator.model_validate(i) for i in fold_holdings(rows, _build)]
    return Listing(_choose(found, None, period, role), dated, answer, *read)


def _dated(answers: Sequence[Rows]) -> list[Row]:
    """The rows `fold_holdings` folds from answers of the `_unsourced` queries: each holding's
    own rows (with its role) and its attestation dates (without), joined as `_joined` joins
    them (a holding with no attestation is left out, as there)."""
    joined: list[Row] = []
    for answer in answers:
        facts = [row for row in answer.rows if row.get("role") is not None]
        dated = [row for row in answer.rows if row.get("role") is None]
        joined += facts_then_passages(facts, unpacked_days(dated))
    return joined


def _unsourced(
    queries: Queries,
    bound: dict[str, str | None],
    area: Area | None,
    period: Period,
    role: str,
    answers: list[Rows],
) -> Listing[Coordinator]:
    """The holdings `coordinators` answers, each with no source and no passage read: the
    area's holdings with their attestation dates in one query, or every holding's rows."""
    if area is not None:
        answer = queries.run("api_area_holdings_unsourced", bound)
    else:
        answer = queries.run("api_coordinators_unsourced", {"state": bound["state"]})
    rows = _dated([answer])
    found = [Coordinator.model_validate(i) for i in fold_holdings(rows, _build)]
    return Listing(_choose(found, area, period, role), *answers, answer)


def _choose(
    items: list[Coordinator], area: Area | None, period: Period, role: str
) -> list[Coordinator]:
    """The items meeting `period`, in `role`, of an area when one is asked; in order."""
    chosen = [
        i
        for i in items
        if in_period(i, period) and role in ("any", i.role) and not (area and i.area is None)
    ]
    chosen.sort(key=_order)
    return chosen
