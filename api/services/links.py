"""Links out: the items elsewhere (Wikidata) an entity is owl:sameAs, each with its source."""

from __future__ import annotations

from ccmkg.api.rest.models import CitedSource, SameAs
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import day, text


def same_as(queries: Queries, entity: str) -> list[SameAs]:
    """The items `entity` (an IRI) is the same as, in IRI order; [] when no source gives one."""
    found: dict[str, SameAs] = {}
    for row in queries.run("api_same_as", {"entity": entity}).rows:
        item = text(row, "item")
        if item is None:
            continue
        link = found.setdefault(item, SameAs(id=item))
        url = text(row, "sourceUrl")
        if url is not None:
            source = CitedSource(url=url, retrieved=day(row, "retrieved"))
            if source not in link.sources:
                link.sources.append(source)
    return list(found.values())
