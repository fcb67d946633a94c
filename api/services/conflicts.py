"""Where the record contradicts itself: what differs, the values claimed, and the passages."""

from __future__ import annotations

from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Conflict
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, text
from ccmkg.api.services.folding import add_unique, fold_rows
from ccmkg.api.services.passages import with_details


def _build(row: Row) -> dict[str, Any]:
    return {"id": text(row, "conflict"), "about": text(row, "about"), "values": []}


def _more(item: dict[str, Any], row: Row) -> None:
    add_unique(item, "values", text(row, "value"))


def conflicts(queries: Queries) -> Listing[Conflict]:
    """Every conflict, ordered by its IRI; its passages are its `claims`."""
    rows = queries.run("api_conflicts")
    detailed, read = with_details(queries, rows.rows)
    items = fold_rows(detailed, "conflict", _build, _more)
    for item in items:
        item["claims"] = item.pop("sources")
    found = sorted((Conflict.model_validate(i) for i in items), key=lambda i: i.id)
    return Listing(found, rows, *read)
