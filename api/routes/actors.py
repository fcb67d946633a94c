"""GET /actors, /actors/{id}, /actors/{id}/timeline: a State or organisation and what it did."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ccmkg.api.rest.models import Actor, ActorList, ErrorBody, Timeline
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.params import parse_page
from ccmkg.api.rest.refs import ACTOR_TYPE
from ccmkg.api.rest.runner import run, settings_of
from ccmkg.api.rest.sources import add_unique, fold_rows
from ccmkg.api.rest.terms import Row, boolean, day, local_name, text
from ccmkg.errors import NotFound
from ccmkg.naming import fold, state_index

router = APIRouter(tags=["actors"])


def _actors(request: Request, iri: str | None = None) -> list[dict[str, Any]]:
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

    items = fold_rows(run(request, "api_actors", {"actor": iri}).rows, "actor", build, more)
    for item in items:
        item.pop("sources", None)
    return items


def _matches(item: dict[str, Any], q: str) -> bool:
    folded = fold(q)
    keys = [item.get("iso3"), item.get("acronym"), item.get("label"), *item["names"]]
    return any(folded in fold(k) for k in keys if k) or (
        state_index().resolve(q) is not None and state_index().resolve(q) == item.get("iso3")
    )


@router.get(
    "/actors",
    response_model=ActorList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="States and organisations, searchable by any name",
)
def actors(
    request: Request,
    q: str | None = Query(
        None, description="Part of a name, code or acronym; accents and case ignored"
    ),
    limit: str | None = Query(None, description="Items per page (1-1000, default 100)"),
    offset: str | None = Query(None, description="Items to skip"),
    format: str | None = Query(None, description="json (default) or csv"),
) -> dict[str, Any] | Response:
    """Every State and organisation named in the record, with every spelling met."""
    page = parse_page(limit, offset)
    items = _actors(request)
    if q:
        items = [i for i in items if _matches(i, q)]
    items.sort(key=lambda i: (i["type"] or "", fold(i["label"] or i["id"])))
    return page_answer(request, format, items, page)


def resolve_actor(request: Request, key: str) -> dict[str, Any]:
    """The actor named by its natural key (ISO3, acronym, x-slug), a State name, or its IRI.

    Raises:
        NotFound: nothing in the record has that key.
    """
    base = settings_of(request).base_iri
    candidates = [key] if key.startswith(("http://", "https://")) else []
    iso3 = state_index().resolve(key)
    if iso3:
        candidates.append(f"{base}id/state/{iso3}")
    candidates += [f"{base}id/state/{key}", f"{base}id/org/{key}", f"{base}id/org/{key.upper()}"]
    for iri in candidates:
        found = _actors(request, iri)
        if found:
            return found[0]
    raise NotFound(
        f"No State or organisation {key!r} in the record.", "Search with GET /actors?q=…"
    )


@router.get(
    "/actors/{id}",
    response_model=Actor,
    responses={404: {"model": ErrorBody}},
    summary="One State or organisation",
)
def actor(
    request: Request, id: str = Path(description="ISO alpha-3 code, acronym, or a State's name")
) -> dict[str, Any]:
    return resolve_actor(request, id)


def _timeline(rows: Sequence[Row]) -> list[dict[str, Any]]:
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

    items = fold_rows(rows, "fact", build, more)
    items.sort(key=lambda i: (i["date"] or "9999", i["kind"]))
    return items


@router.get(
    "/actors/{id}/timeline",
    response_model=Timeline,
    responses={404: {"model": ErrorBody}},
    summary="Everything an actor did, in date order",
)
def timeline(
    request: Request, id: str = Path(description="ISO alpha-3 code, acronym, or a State's name")
) -> dict[str, Any]:
    """Posts held, presidencies, meetings attended and chaired, apologies, obligation events."""
    found = resolve_actor(request, id)
    items = _timeline(run(request, "api_actor_timeline", {"actor": found["id"]}).rows)
    return {"actor": found, "items": items, "count": len(items)}
