"""Small JSON objects shared by the resources: actors, States, areas, meetings, periods."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from ccmkg.api.rest.terms import Row, local_name, text
from ccmkg.model.iri import IriScheme
from ccmkg.model.terms import CCM
from ccmkg.model.vocab import vocabulary

ACTOR_TYPE = {str(CCM.State): "state", str(CCM.Organization): "organization"}


def meeting_kind(class_iri: str | None) -> str | None:
    """The slug of a meeting class ("coordination-committee"), from the ontology's notations."""
    term = vocabulary().meeting_kinds.by_iri(class_iri or "")
    return term.slug if term else None


def meeting_format(iri: str | None) -> str | None:
    term = vocabulary().formats.by_iri(iri or "")
    return term.slug if term else None


def actor(row: Row, var: str) -> dict[str, Any] | None:
    """`{id, type, iso3|acronym, label}` from the actor columns `<var>`, `<var>Class`, …"""
    iri = text(row, var)
    if iri is None:
        return None
    kind = ACTOR_TYPE.get(text(row, var + "Class") or "")
    out: dict[str, Any] = {"id": iri, "type": kind, "label": text(row, var + "Label")}
    if kind == "state":
        out["iso3"] = text(row, var + "Iso3")
    elif kind == "organization":
        out["acronym"] = text(row, var + "Acronym")
    return out


def state(
    row: Row, var: str = "state", iso3: str = "iso3", label: str = "stateLabel"
) -> dict[str, Any]:
    return {"id": text(row, var), "iso3": text(row, iso3), "label": text(row, label)}


def area(row: Row) -> dict[str, Any]:
    """The area from its columns, completed from the ontology when the store lacks its labels."""
    iri = text(row, "area") or ""
    known = vocabulary().areas.by_iri(iri)
    slug = text(row, "areaSlug") or (known.slug if known else local_name(iri))
    label = text(row, "areaLabel") or (known.label if known else slug)
    return {"id": iri, "slug": slug, "label": label}


def meeting_segment(iri: str) -> str:
    """`{id}` of GET /meetings/{id}: the key of the meeting IRI (its pattern in ccmkg.model)."""
    parsed = _scheme(iri.split("/id/", 1)[0] + "/").key("meeting", iri)
    return parsed or iri.rstrip("/").rsplit("/", 1)[-1]


@cache
def _scheme(base: str) -> IriScheme:
    """One scheme per base: its patterns compile once (per meeting, they were most of the
    time of GET /meetings at 1M triples, issue #16)."""
    return IriScheme(base)


def overlaps(start: str | None, end: str | None, lo: dt.date | None, hi: dt.date | None) -> bool:
    """Does [start, end] (ISO days; None = open) meet [lo, hi]?"""
    if lo is not None and end is not None and end < lo.isoformat():
        return False
    return not (hi is not None and start is not None and start > hi.isoformat())


def within(day: str | None, lo: dt.date | None, hi: dt.date | None) -> bool:
    """Is the ISO day inside [lo, hi]? An unknown day is inside only an unbounded period."""
    if day is None:
        return lo is None and hi is None
    return (lo is None or day >= lo.isoformat()) and (hi is None or day <= hi.isoformat())
