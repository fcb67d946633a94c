"""What the loaders would not turn into actors: strings kept for review, with their passages."""

from __future__ import annotations

from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import ReviewItem
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, text
from ccmkg.api.services.folding import fold_rows


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "item"),
        "text": text(row, "text"),
        "reason": text(row, "reason"),
        "context": text(row, "context"),
    }


def review_items(queries: Queries, reason: str | None = None) -> Listing[ReviewItem]:
    """Every review item (optionally of one reason), in document and text order."""
    rows = queries.run("api_review")
    items = fold_rows(rows.rows, "item", _build)
    found = [ReviewItem.model_validate(i) for i in items]
    if reason:
        found = [i for i in found if i.reason == reason]
    return Listing(found, rows)
