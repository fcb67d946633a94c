"""The people in the record: the list (searchable by name), and one person's meetings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import NameMatch, Person, PersonDetail, PersonMeeting
from ccmkg.api.rest.refs import actor, meeting_kind, meeting_segment
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, boolean, day, text
from ccmkg.api.services.folding import add_unique, fold_rows
from ccmkg.errors import NotFound
from ccmkg.model.iri import IriScheme
from ccmkg.model.names import fold, squash
from ccmkg.store import Rows


def _least(held: str | None, met: str | None) -> str | None:
    """Of two values of a field that should have one (two documents may write a name two
    ways), the lesser: the same on every request, whatever order the rows come in."""
    values = [v for v in (held, met) if v is not None]
    return min(values) if values else None


def _fold_persons(rows: Rows) -> list[dict[str, Any]]:
    """One dict per person, shaped like `Person` plus `key` (its name key, for the search).

    api_persons gives a person's own rows and, apart, one row per document naming them: the
    name fields come from whichever row has them, the documents from the others."""

    def build(row: Row) -> dict[str, Any]:
        return {
            "id": text(row, "person"),
            "name": None,
            "key": None,
            "spellings": [],
            "alternate_names": [],
            "honorifics": [],
            "needs_review": False,
            "documents": [],
        }

    def more(item: dict[str, Any], row: Row) -> None:
        doc = text(row, "doc")
        if doc is not None:
            add_unique(item, "documents", document_ref(row))
            return
        item["name"] = _least(item["name"], text(row, "name"))
        item["key"] = _least(item["key"], text(row, "nameKey"))
        add_unique(item, "spellings", text(row, "spelling"))
        add_unique(item, "alternate_names", text(row, "alternateName"))
        add_unique(item, "honorifics", text(row, "honorific"))
        item["needs_review"] = item["needs_review"] or bool(boolean(row, "needsReview"))

    items = fold_rows(rows.rows, "person", build, more)
    for item in items:
        del item["sources"]  # fold_rows reads the document rows as passages: not a person's
        # In a fixed order, not the rows' (which differs between query workers, and between
        # the chunks a page is read in): the same person answers the same on every request.
        honorifics = sorted(item.pop("honorifics"))
        item["honorific"] = honorifics[0] if honorifics else None
        item["spellings"].sort()
        item["alternate_names"].sort()
        # Date order, undated first (as SPARQL orders an unbound date), then by IRI.
        item["documents"].sort(key=lambda d: (d["date"] or "", d["id"]))
    return items


def document_ref(row: Row) -> dict[str, Any]:
    """The row's document as a `DocumentRef`-shaped dict."""
    return {"id": text(row, "doc"), "title": text(row, "docTitle"), "date": day(row, "docDate")}


def _matches(item: dict[str, Any], q: str) -> bool:
    """Accent-, case- and punctuation-insensitive: 'masmejan' finds 'Masméjan'."""
    needle = squash(q)
    names = [item.get("key"), item.get("name"), *item["spellings"]]
    return bool(needle) and any(needle in squash(n) for n in names if n)


def _fold_names(rows: Sequence[Row]) -> dict[str, dict[str, Any]]:
    """Each person's name, key and spellings (what `_matches` reads), by IRI."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = text(row, "person") or ""
        item = found.setdefault(iri, {"name": None, "key": None, "spellings": []})
        item["name"] = _least(item["name"], text(row, "name"))
        item["key"] = _least(item["key"], text(row, "nameKey"))
        add_unique(item, "spellings", text(row, "spelling"))
    found.pop("", None)
    return found


# Persons bound per query: their rows grow with the documents naming them (1M synthetic
# triples: ~45 rows a person, 100 persons 4,300 rows, 117 ms in process), and a query must stay
# under the row cap (`max_result_rows`, 10,000 by default) to answer whole.
CHUNK = 100


def persons(
    queries: Queries, *, q: str | None = None, offset: int = 0, limit: int | None = None
) -> Listing[Person]:
    """Every person, or those whose name key, name or a spelling contains `q`, ordered by name
    (then IRI); the items from `offset` on, at most `limit` of them (None: all), of a list whose
    `total` counts them all.

    The persons are chosen and ordered from their names alone (api_person_names), and their
    details and documents are read for the page only (api_persons, bound to the page's
    persons, CHUNK at a time): reading every person's documents in one query took ~1 s at 1M
    triples, and the row cap cut it (issue #16)."""
    names = queries.run("api_person_names")
    found = _fold_names(names.rows)
    chosen = sorted(
        (fold(item["name"] or iri), iri)
        for iri, item in found.items()
        if not q or _matches(item, q)
    )
    page = [iri for _, iri in chosen[offset:][:limit]]
    if not page:
        return Listing([], names, total=len(chosen), offset=offset)
    chunks = [page[i : i + CHUNK] for i in range(0, len(page), CHUNK)]
    answers = [queries.run_for("api_persons", "person", chunk) for chunk in chunks]
    folded = {item["id"]: item for rows in answers for item in _fold_persons(rows)}
    items = [Person.model_validate(folded[iri]) for iri in page if iri in folded]
    return Listing(items, names, *answers, total=len(chosen), offset=offset)


def _meetings(rows: Sequence[Row]) -> list[PersonMeeting]:
    def build(row: Row) -> dict[str, Any]:
        iri = text(row, "meeting") or ""
        return {
            "meeting": {
                "id": meeting_segment(iri),
                "iri": iri,
                "date": day(row, "date"),
                "kind": meeting_kind(text(row, "kindClass")),
                "title": text(row, "title"),
            },
            "delegation": actor(row, "delegation"),
            "role": text(row, "role"),
        }

    items = [PersonMeeting.model_validate(i) for i in fold_rows(rows, "participation", build)]
    items.sort(key=lambda i: i.meeting.date or "")
    return items


def person(queries: Queries, key: str) -> PersonDetail:
    """The person with that name key (or IRI), and the meetings attended for each delegation.

    Raises:
        NotFound: no person has that key.
    """
    iri = (
        key
        if key.startswith(("http://", "https://"))
        else str(IriScheme(queries.base_iri).mint("person", key=key))
    )
    found = _fold_persons(queries.run("api_persons", {"person": iri}))
    if not found:
        raise NotFound(f"No person {key!r} in the record.", "Search with GET /persons?q=…")
    meetings = _meetings(queries.run("api_person_meetings", {"person": iri}).rows)
    matches = _name_matches(queries.run("api_person_matches", {"person": iri}).rows)
    return PersonDetail.model_validate({**found[0], "meetings": meetings, "name_matches": matches})


def _name_matches(rows: Sequence[Row]) -> list[NameMatch]:
    """How this person's spellings were compared across documents, with the passages."""

    def build(row: Row) -> dict[str, Any]:
        return {
            "decision": text(row, "decision"),
            "rule": text(row, "rule"),
            "reason": text(row, "reason"),
            "name": text(row, "matchedName"),
            "known_name": text(row, "knownName"),
            "person": text(row, "matchedPerson"),
            "known_person": text(row, "knownPerson"),
            "sources": [],
        }

    return [NameMatch.model_validate(i) for i in fold_rows(rows, "match", build)]
