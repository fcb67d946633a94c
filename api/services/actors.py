"""States and organisations: the list (searchable by any name), one actor, and its timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Actor, Timeline, TimelineEvent
from ccmkg.api.rest.refs import ACTOR_TYPE
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, boolean, day, local_name, text
from ccmkg.api.services.folding import add_unique, fold_rows
from ccmkg.api.services.passages import with_details
from ccmkg.errors import NotFound
from ccmkg.model.iri import IriScheme
from ccmkg.model.names import fold
from ccmkg.model.resolve import resolver
from ccmkg.store import Rows


def _fold_actors(rows: Rows) -> list[Actor]:
    def build(row: Row) -> dict[str, Any]:
        kind = ACTOR_TYPE.get(text(row, "actorClass") or "")
        item: dict[str, Any] = {
            "id": text(row, "actor"),
            "type": kind,
            "label": text(row, "actorLabel"),
            "names": [],
            "needs_review": bool(boolean(row, "needsReview")),
        }
        item["iso3" if kind == "state" else "acronym"] = text(
            row, "actorIso3" if kind == "state" else "actorAcronym"
        )
        return item

    def more(item: dict[str, Any], row: Row) -> None:
        add_unique(item, "names", text(row, "name"))

    # `complete`: the rows in a fixed order, so the label and flags shown never depend on the
    # order the store gives them in; the names sorted for the same reason.
    items = fold_rows(rows.rows, "actor", build, more, complete=True)
    for item in items:
        item["names"].sort()
    return [Actor.model_validate(i) for i in items]


def _matches(item: Actor, q: str) -> bool:
    folded = fold(q)
    keys = [item.iso3, item.acronym, item.label, *item.names]
    return any(folded in fold(k) for k in keys if k) or (
        (hit := resolver().state(q, codes=True)) is not None and hit[0] == item.iso3
    )


def actors(queries: Queries, *, q: str | None = None) -> Listing[Actor]:
    """Every actor, or those `q` names (part of any name, code or acronym, or a State's name
    or alias); States first, then organisations, each by label."""
    rows = queries.run("api_actors", {"actor": None})
    items = _fold_actors(rows)
    if q:
        items = [i for i in items if _matches(i, q)]
    items.sort(key=lambda i: (i.type or "", fold(i.label or i.id)))
    return Listing(items, rows)


def actor(queries: Queries, key: str) -> Actor:
    """The actor named by its natural key (ISO3, acronym, x-slug), a State name, or its IRI.

    Raises:
        NotFound: nothing in the record has that key.
    """
    scheme = IriScheme(queries.base_iri)
    candidates = [key] if key.startswith(("http://", "https://")) else []
    known = resolver().actor(key, codes=True)
    if known:
        candidates.append(str(scheme.mint(known.kind, key=known.key)))
    candidates += [str(scheme.mint(kind, key=key)) for kind in ("state", "organization")]
    candidates.append(str(scheme.mint("organization", key=key.upper())))
    for iri in candidates:
        found = _fold_actors(queries.run("api_actors", {"actor": iri}))
        if found:
            return found[0]
    raise NotFound(
        f"No State or organisation {key!r} in the record.", "Search with GET /actors?q=…"
    )


def _events(rows: Sequence[Row]) -> list[TimelineEvent]:
    def build(row: Row) -> dict[str, Any]:
        kind = text(row, "kind") or ""
        detail = text(row, "detail")
        label = text(row, "label")
        if kind == "obligation" and detail:
            label = f"{local_name(detail)}: {label}" if label else local_name(detail)
        item: dict[str, Any] = {
            "fact": text(row, "fact"),
            "kind": kind,
            "ref": text(row, "ref"),
            "label": label,
            "date": day(row, "date"),
            "end": day(row, "end"),
        }
        if kind == "apology":
            item["received"] = boolean(row, "detail")
        return item

    def more(item: dict[str, Any], row: Row) -> None:
        d = day(row, "date")
        if d and (item["date"] is None or d < item["date"]):
            item["date"] = d

    items = [TimelineEvent.model_validate(i) for i in fold_rows(rows, "fact", build, more)]
    # Date and kind, then the fact and label: events of one day and kind in a fixed order.
    items.sort(key=lambda i: (i.date or "9999", i.kind, i.fact or "", i.label or ""))
    return items


def timeline(queries: Queries, key: str) -> Timeline:
    """Posts held, presidencies, meetings attended and chaired, apologies and obligation
    events of the actor `key` names (as for `actor`), in date order.

    Raises:
        NotFound: nothing in the record has that key.
    """
    found = actor(queries, key)
    rows, _ = with_details(queries, queries.run("api_actor_timeline", {"actor": found.id}).rows)
    events = _events(rows)
    return Timeline(actor=found, items=events, count=len(events))
