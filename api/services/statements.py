"""Statements about several States at once ("19 States Parties had submitted initial Article 7
reports"): a count, an article, a date and the passage; never turned into per-State facts."""

from __future__ import annotations

import re
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Obligation
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import within
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, integer, local_name, text
from ccmkg.api.services.folding import fold_rows


def _kebab(iri: str | None) -> str | None:
    """`ccm:InitialReport` → `initial-report`, as /obligations writes types."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local_name(iri)).lower() if iri else None


def _article(iri: str | None) -> int | None:
    match = re.search(r"Article(\d+)$", iri or "")
    return int(match.group(1)) if match else None


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "statement"),
        "about": "states",
        "state": None,
        "count": integer(row, "count"),
        "article": _article(text(row, "article")),
        "type": _kebab(text(row, "obligationType")),
        "event": None,
        "date": day(row, "date") or day(row, "reported"),
        "text": text(row, "text"),
    }


def statements(
    queries: Queries, *, article: int | None = None, period: Period = Period(None, None)
) -> Listing[Obligation]:
    """Aggregate statements under `article` (any if None) dated in `period`, in date order."""
    rows = queries.run("api_aggregate_statements")
    items = [Obligation.model_validate(i) for i in fold_rows(rows.rows, "statement", _build)]
    chosen = [
        i
        for i in items
        if (article is None or i.article == article) and within(i.date, period.start, period.end)
    ]
    chosen.sort(key=lambda i: (i.date or "", i.article or 0, i.id))
    return Listing(chosen, rows)
