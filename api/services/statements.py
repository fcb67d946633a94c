"""Statements about several States at once ("19 States Parties had submitted initial Article 7
reports"): a count, an article, a date and the passage; never turned into per-State facts."""

from __future__ import annotations

from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Obligation
from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import within
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, integer, text
from ccmkg.api.services.folding import fold_rows
from ccmkg.api.services.obligations import article_number, type_slug


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "statement"),
        "about": "states",
        "state": None,
        "count": integer(row, "count"),
        "article": article_number(text(row, "article")),
        "type": type_slug(text(row, "obligationType")),
        "event": None,
        "date": day(row, "date") or day(row, "reported"),
        "text": text(row, "text"),
    }


def statements(
    queries: Queries,
    *,
    article: int | None = None,
    period: Period = Period(None, None),
    sources: bool = True,
) -> Listing[Obligation]:
    """Aggregate statements under `article` (any if None) dated in `period`, in date order;
    without `sources`, with no source and no passage read."""
    name = "api_aggregate_statements" if sources else "api_aggregate_statements_unsourced"
    rows = queries.run(name)
    items = [Obligation.model_validate(i) for i in fold_rows(rows.rows, "statement", _build)]
    chosen = [
        i
        for i in items
        if (article is None or i.article == article) and within(i.date, period.start, period.end)
    ]
    chosen.sort(key=lambda i: (i.date or "", i.article or 0, i.id))
    return Listing(chosen, rows)
