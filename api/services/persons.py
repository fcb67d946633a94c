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


def _fold_persons(queries: Queries, rows: Sequence[Row]) -> tuple[list[dict[str, Any]], list[Rows]]:
    """One dict per person, shaped like `Person` plus `key` (its name key, for the search);
    and the answers the documents' titles and dates were read from.

    api_persons gives a person's own rows and, apart, one row with the IRIs of the documents
    naming them (packed): the name fields come from the first, the documents from the other,
    with their titles and dates from api_documents (one query for every person's documents)."""

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
        docs = text(row, "docs")
        if docs is not None:
            item["documents"] += docs.split(" ")
            return
        item["name"] = _least(item["name"], text(row, "name"))
        item["key"] = _least(item["key"], text(row, "nameKey"))
        add_unique(item, "spellings", text(row, "spelling"))
        add_unique(item, "alternate_names", text(row, "alternateName"))
        add_unique(item, "honorifics", text(row, "honorific"))
        item["needs_review"] = item["needs_review"] or bool(boolean(row, "needsReview"))

    items = fold_rows(rows, "person", build, more)
    refs, answers = document_refs(queries, {iri for item in items for iri in item["documents"]})
    for item in items:
        del item["sources"]  # api_persons names no passage
        # In a fixed order, not the rows' (which differs between query workers, and between
        # the chunks a page is read in): the same person answers the same on every request.
        honorifics = sorted(item.pop("honorifics"))
        item["honorific"] = honorifics[0] if honorifics else None
        item["spellings"].sort()
        item["alternate_names"].sort()
        documents = [ref for iri in set(item["documents"]) for ref in refs[iri]]
        # Date order, undated first (as SPARQL orders an unbound date), then by IRI.
        item["documents"] = sorted(
            documents, key=lambda d: (d["date"] or "", d["id"], d["title"] or "")
        )
    return items, answers


# Documents bound per api_documents query (at 1M synthetic triples a page of 100 persons
# names ~440 documents).
DOCUMENT_CHUNK = 1000


def document_refs(
    queries: Queries, iris: set[str]
) -> tuple[dict[str, list[dict[str, Any]]], list[Rows]]:
    """`DocumentRef`-shaped dicts of these documents by IRI (one per title and date written;
    the IRI alone when none is), and the answers they were read from."""
    ordered = sorted(iris)
    chunks = [ordered[i : i + DOCUMENT_CHUNK] for i in range(0, len(ordered), DOCUMENT_CHUNK)]
    answers = [queries.run_for("api_documents", "doc", chunk) for chunk in chunks]
    refs: dict[str, list[dict[str, Any]]] = {iri: [] for iri in ordered}
    for answer in answers:
        for row in answer.rows:
            ref = {"id": text(row, "doc"), "title": text(row, "title"), "date": day(row, "date")}
            add_unique(refs, ref["id"] or "", ref)
    for iri, found in refs.items():
        if not found:  # not typed ccm:Document in the union (a stale default graph)
            found.append({"id": iri, "title": None, "date": None})
    return refs, answers


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


# Persons bound per query: a person's rows are one per spelling, honorific and alternate name,
# and one with its documents packed (1M synthetic triples: 100 persons 200 rows, 80 ms in
# process; a row per document was 4,300 rows, 189 ms); a query must stay under the row cap
# (`max_result_rows`, 10,000 by default) to answer whole.
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
    read_in, read = _fold_persons(queries, [row for answer in answers for row in answer.rows])
    folded = {item["id"]: item for item in read_in}
    items = [Person.model_validate(folded[iri]) for iri in page if iri in folded]
    return Listing(items, names, *answers, *read, total=len(chosen), offset=offset)


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
    found, _ = _fold_persons(queries, queries.run("api_persons", {"person": iri}).rows)
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
