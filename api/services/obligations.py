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


def _key(row: Row) -> dict[str, Any]:
    """What /obligations filters and orders an event by, from a row of api_obligation_keys."""
    return {
        "id": text(row, "event"),
        "iso3": text(row, "iso3"),
        "article": article_number(text(row, "article")),
        "date": day(row, "date") or day(row, "reported"),
    }


def obligations(
    queries: Queries,
    *,
    state: str | None = None,
    article: int | None = None,
    period: Period = Period(None, None),
    events: bool = True,
    several: Listing[Obligation] | None = None,
    offset: int = 0,
    limit: int | None = None,
    sources: bool = True,
) -> Listing[Obligation]:
    """Events of the State (IRI; any if None) under `article` (any if None) dated in `period`,
    each dated by the text or else by the document that reports it, in date order (none
    without `events`); with `several`, the statements about several States merged in, in
    order of date and article. The items from `offset` on, at most `limit` (None: all).

    The events are chosen and ordered from their keys alone (api_obligation_keys), and their
    wording and passages are read for the page only (api_obligation_events): every event's
    passages were most of the time at 1M triples (issue #16). Events equal in date, State and
    article come in the order of their IRIs. Without `sources` (GET /obligations?sources=none)
    the page is read from api_obligation_events_unsourced: no source, no passage read."""
    bound = {"state": local_name(state) if state else None}
    keys = queries.run("api_obligation_keys", bound)
    found: dict[str, dict[str, Any]] = {}
    for row in keys.rows:  # the first row of an event gives its key, as fold_rows does
        key = _key(row)
        if key["id"] is not None:
            found.setdefault(key["id"], key)
    chosen = [
        k
        for k in found.values()
        if events
        and (article is None or k["article"] == article)
        and within(k["date"], period.start, period.end)
    ]
    chosen.sort(key=lambda k: (k["date"] or "", k["iso3"] or "", k["article"] or 0, k["id"]))
    merged: list[dict[str, Any] | Obligation] = list(chosen)
    answers = [keys]
    if several is not None:
        merged = sorted(
            [*chosen, *several.items],
            key=lambda i: (_get(i, "date") or "", _get(i, "article") or 0, _iso3(i)),
        )
        answers.extend(several.answers)
    page = merged[offset:][:limit]
    wanted = [str(i["id"]) for i in page if isinstance(i, dict)]
    read: dict[str, Obligation] = {}
    if wanted:
        name = "api_obligation_events" if sources else "api_obligation_events_unsourced"
        rows = queries.run_for(name, "event", wanted, bound)
        answers.append(rows)
        for item in fold_rows(rows.rows, "event", _build):
            item["date"] = found[item["id"]]["date"]  # the date it was ordered by
            read[item["id"]] = Obligation.model_validate(item)
    items = [i if isinstance(i, Obligation) else read[i["id"]] for i in page]
    return Listing(items, *answers, total=len(merged), offset=offset)


def _get(item: dict[str, Any] | Obligation, field: str) -> Any:
    return item[field] if isinstance(item, dict) else getattr(item, field)


def _iso3(item: dict[str, Any] | Obligation) -> str:
    if isinstance(item, dict):
        return item["iso3"] or ""
    return (item.state.iso3 if item.state else None) or ""
