"""Persons across documents: GET /persons?min_documents= keeps those named in enough documents.

A person is one node whatever the spelling (loaders/persons.py merges near spellings), so the
documents of a node are the documents that name that person under any spelling. They come in
the same answer as the persons (api_persons: the person's rows, then its document rows).
"""

from __future__ import annotations

from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import Person


def with_documents(listing: Listing[Person], min_documents: int | None) -> Listing[Person]:
    """The persons of `listing` (each with its `documents`), only those named in at least
    `min_documents` documents when it is given."""
    if min_documents is None:
        return listing
    items = [p for p in listing.items if len(p.documents) >= min_documents]
    return Listing(items, *listing.answers)
