"""Query rows → items: one item per key, with `sources`, every passage it was read from.

The queries return one row per (item, passage); this module folds those rows into one item
with its list of sources, keeping the order of first appearance and dropping duplicates. The
items are plain dicts shaped like the response models; each service validates them into its
model once folded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ccmkg.api.rest.terms import Row, day, integer, text

# The columns every *_sources-bearing query returns for a passage.
SOURCE_COLUMNS = ("passage", "doc", "docTitle", "docDate", "section", "quote", "pstart", "pend")


def source(row: Row, prefix: str = "") -> dict[str, Any] | None:
    """One `{document, section, quote, start, end}` from a row, None if it has no passage."""
    doc = text(row, prefix + "doc")
    if doc is None:
        return None
    return {
        "document": {
            "id": doc,
            "title": text(row, prefix + "docTitle"),
            "date": day(row, prefix + "docDate"),
        },
        "section": text(row, prefix + "section"),
        "quote": text(row, prefix + "quote"),
        "start": integer(row, prefix + "pstart"),
        "end": integer(row, prefix + "pend"),
    }


def reference_source(row: Row, prefix: str = "") -> dict[str, Any] | None:
    """A reference page (reference data: `sourceUrl`, `retrieved`), None if the row has none.

    Shaped like a passage source so clients read both alike: the document is the page."""
    url = text(row, prefix + "sourceUrl")
    if url is None:
        return None
    return {
        "document": {"id": url, "title": None, "date": None},
        "section": None,
        "quote": None,
        "start": None,
        "end": None,
        "url": url,
        "retrieved": day(row, prefix + "retrieved"),
    }


def add_source(item: dict[str, Any], row: Row, prefix: str = "", field: str = "sources") -> None:
    """Append the row's passage (and reference page) to item[field] unless already there."""
    bucket: list[dict[str, Any]] = item.setdefault(field, [])
    for src in (source(row, prefix), reference_source(row, prefix)):
        if src is not None and src not in bucket:
            bucket.append(src)


def fold_rows(
    rows: Iterable[Row],
    key: str,
    build: Callable[[Row], dict[str, Any]],
    more: Callable[[dict[str, Any], Row], None] | None = None,
    complete: bool = False,
) -> list[dict[str, Any]]:
    """Group rows by the value of `key`: `build` makes the item from its first row, `more`
    adds what each further row carries; every row's passage goes into `sources`. With
    `complete`, fields still empty are taken from later rows: the queries match inside one
    document graph, and a node several documents describe comes once per document."""
    items: dict[str, dict[str, Any]] = {}
    for row in rows:
        k = text(row, key)
        if k is None:
            continue
        item = items.get(k)
        if item is None:
            item = items[k] = build(row)
            item.setdefault("sources", [])
        elif complete:
            _fill(item, build(row))
        if more is not None:
            more(item, row)
        add_source(item, row)
    return list(items.values())


def _fill(item: dict[str, Any], other: dict[str, Any]) -> None:
    """Fields the first row left empty, from a later row (another document said more)."""
    for field, value in other.items():
        if item.get(field) is None and value is not None:
            item[field] = value


def add_unique(item: dict[str, Any], field: str, value: Any) -> None:
    if value is None:
        return
    bucket = item.setdefault(field, [])
    if value not in bucket:
        bucket.append(value)
