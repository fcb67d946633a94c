"""Obligation events (Articles 3, 4 and 7) by State, article and period."""

from __future__ import annotations

import re
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Obligation
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import state, within
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, local_name, text
from ccmkg.api.services.folding import fold_rows


def type_slug(iri: str | None) -> str | None:
    """`ccm:InitialReport` → `initial-report`, as /obligations writes types."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local_name(iri)).lower() if iri else None


def article_number(iri: str | None) -> int | None:
    match = re.search(r"Article(\d+)$", iri or "")
    return int(match.group(1)) if match else None


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "event"),
        "state": state(row),
        "article": article_number(text(row, "article")),
        "type": type_slug(text(row, "obligationType")),
        "event": type_slug(text(row, "eventType")),
        "date": day(row, "date") or day(row, "reported"),
        "text": text(row, "text"),
    }


def obligations(
    queries: Queries,
    *,
    state: str | None = None,
    article: int | None = None,
    period: Period = Period(None, None),
) -> Listing[Obligation]:
    """Events of the State (IRI; any if None) under `article` (any if None) dated in `period`,
    each dated by the text or else by the document that reports it; in date order."""
    rows = queries.run("api_obligation_events", {"state": local_name(state) if state else None})
    items = [Obligation.model_validate(i) for i in fold_rows(rows.rows, "event", _build)]
    chosen = [
        i
        for i in items
        if (article is None or i.article == article) and within(i.date, period.start, period.end)
    ]
    chosen.sort(key=lambda i: (i.date or "", (i.state and i.state.iso3) or "", i.article or 0))
    return Listing(chosen, rows)
