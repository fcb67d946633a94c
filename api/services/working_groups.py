"""Working groups: every report on one (established, proposed or reported on), with who leads
or takes part, the date the text gives the event and the document's date apart."""

from __future__ import annotations

from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import WorkingGroupReport
from ccmkg.api.rest.refs import actor, area
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, boolean, day, text
from ccmkg.api.services.folding import fold_rows
from ccmkg.model.vocab import Term as Area

ROLES = {"lead": "leads", "member": "members", "representative": "representatives"}


def _build(row: Row) -> dict[str, Any]:
    return {
        "id": text(row, "report"),
        "working_group": {
            "id": text(row, "group"),
            "label": text(row, "groupLabel"),
            "area": area(row) if text(row, "area") else None,
            "topic": text(row, "topic"),
            "informal": bool(boolean(row, "informal")),
        },
        "event": text(row, "event"),
        "name": text(row, "name"),
        "date": text(row, "statedDate"),  # as precise as written: YYYY-MM-DD, YYYY-MM, YYYY
        "attested": day(row, "attested"),
        "leads": [],
        "members": [],
        "representatives": [],
    }


def _more(item: dict[str, Any], row: Row) -> None:
    found = actor(row, "actor")
    bucket = ROLES.get(text(row, "role") or "")
    if found is not None and bucket is not None and found not in item[bucket]:
        item[bucket].append(found)


def _involves(item: WorkingGroupReport, state: str) -> bool:
    actors = [*item.leads, *item.members, *item.representatives]
    return any(state in (a.id, a.iso3, a.acronym) for a in actors)


def working_groups(
    queries: Queries, *, area: Area | None = None, actor: str | None = None, sources: bool = True
) -> Listing[WorkingGroupReport]:
    """Reports on working groups of `area` (any if None) that involve `actor` (IRI, ISO3 or
    acronym; any if None), ordered by group, then stated date (unknown last), then IRI;
    without `sources`, with no source and no passage read (api_working_groups_unsourced)."""
    name = "api_working_groups" if sources else "api_working_groups_unsourced"
    rows = queries.run(name, {})
    items = [
        WorkingGroupReport.model_validate(i) for i in fold_rows(rows.rows, "report", _build, _more)
    ]
    chosen = [
        i
        for i in items
        if (area is None or (i.working_group.area and i.working_group.area.slug == area.slug))
        and (actor is None or _involves(i, actor))
    ]
    chosen.sort(key=lambda i: (i.working_group.id, i.date is None, i.date or "", i.id))
    return Listing(chosen, rows)
