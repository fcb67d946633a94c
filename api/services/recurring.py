"""Persons across documents: the documents that name each person, for GET /persons?min_documents=.

A person is one node whatever the spelling (loaders/persons.py merges near spellings), so the
documents of a node are the documents that name that person under any spelling.
"""

from __future__ import annotations

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import DocumentRef, Person
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import day, text


def person_documents(queries: Queries) -> tuple[dict[str, list[DocumentRef]], Listing[Person]]:
    """person IRI → the documents naming them (date order); and an empty Listing carrying the
    answer, so a caller's list reports truncation if the row cap cut it."""
    rows = queries.run("api_person_documents")
    found: dict[str, list[DocumentRef]] = {}
    for row in rows.rows:
        person, doc = text(row, "person"), text(row, "doc")
        if person is None or doc is None:
            continue
        ref = DocumentRef(id=doc, title=text(row, "docTitle"), date=day(row, "docDate"))
        bucket = found.setdefault(person, [])
        if ref not in bucket:
            bucket.append(ref)
    return found, Listing([], rows)


def with_documents(
    listing: Listing[Person], queries: Queries, min_documents: int | None
) -> Listing[Person]:
    """Each person of `listing` with `documents`; only those named in at least `min_documents`
    documents when it is given."""
    docs, answer = person_documents(queries)
    items = [p.model_copy(update={"documents": docs.get(p.id, [])}) for p in listing.items]
    if min_documents is not None:
        items = [p for p in items if len(p.documents) >= min_documents]
    return Listing(items, *listing.answers, *answer.answers)
