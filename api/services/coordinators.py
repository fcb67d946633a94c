"""Coordinator and Friend of the President holdings, filtered by area, State, period and role."""

from __future__ import annotations

from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Coordinator
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import area, state
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, local_name, text
from ccmkg.api.services.holdings import fold_holdings, in_period
from ccmkg.model.vocab import Term as Area
from ccmkg.model.vocab import vocabulary


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


def coordinators(
    queries: Queries,
    *,
    area: Area | None = None,
    state: str | None = None,
    period: Period = Period(None, None),
    role: str = "coordinator",
) -> Listing[Coordinator]:
    """Holdings of the area (any if None) by the State (IRI; any if None) meeting `period`,
    in the role asked for (`coordinator`, `friend` or `any`), ordered by area, start, State."""
    rows = queries.run(
        "api_coordinators",
        {"area": area.slug if area else None, "state": local_name(state) if state else None},
    )
    items = [Coordinator.model_validate(i) for i in fold_holdings(rows.rows, _build)]
    chosen = [
        i
        for i in items
        if in_period(i, period) and role in ("any", i.role) and not (area and i.area is None)
    ]
    chosen.sort(key=_order)
    return Listing(chosen, rows)
