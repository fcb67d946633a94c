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


def source_order(src: dict[str, Any]) -> tuple[str, str, int, int, str, str, str]:
    """A fixed order for an item's sources: by document date, document, span, then section,
    quote and page (a total order: two sources that differ never tie). The store gives rows in
    no fixed order (its disk and in-memory copies differ, and so does a query's shape), and a
    researcher comparing two answers must not see a difference where there is none."""
    doc = src["document"]
    start, end = src.get("start"), src.get("end")
    return (
        str(doc.get("date") or ""),
        str(doc["id"]),
        start if start is not None else -1,
        end if end is not None else -1,
        str(src.get("section") or ""),
        str(src.get("quote") or ""),
        str(src.get("url") or ""),
    )


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
    adds what each further row carries; every row's passage goes into `sources`, in
    `source_order` whatever order the rows come in. With
    `complete`, fields still empty are taken from later rows: the queries match inside one
    document graph, and a node several documents describe comes once per document."""
    items: dict[str, dict[str, Any]] = {}
    if complete:
        # The store returns rows in no fixed order; the first row's values are shown, so the
        # order must not depend on the store (disagreements are listed by `disputed_fields`).
        rows = sorted(rows, key=_row_order)
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
    for item in items.values():
        item["sources"].sort(key=source_order)
    return list(items.values())


def _row_order(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, str(value)) for name, value in row.items() if value is not None))


def _fill(item: dict[str, Any], other: dict[str, Any]) -> None:
    """Fields the first row left empty, from a later row (another document said more)."""
    for field, value in other.items():
        if item.get(field) is None and value is not None:
            item[field] = value


def disputed_fields(
    rows: Iterable[Row], key: str, build: Callable[[Row], dict[str, Any]], fields: Iterable[str]
) -> dict[str, dict[str, list[Any]]]:
    """For each item key, the given fields to which its rows give more than one value, with
    every value, sorted: where documents disagree the answer lists all of them, never picks one
    silently. (The queries read a node's facts from the default graph, so a value is not tied
    to the passage that states it; /conflicts and /sparql say which source says what.)"""
    seen: dict[str, dict[str, set[Any]]] = {}
    wanted = tuple(fields)
    for row in rows:
        k = text(row, key)
        if k is None:
            continue
        built = build(row)
        bucket = seen.setdefault(k, {})
        for field in wanted:
            if built.get(field) is not None:
                bucket.setdefault(field, set()).add(built[field])
    return {
        k: {f: sorted(values, key=str) for f, values in fields_.items() if len(values) > 1}
        for k, fields_ in seen.items()
    }


def add_unique(item: dict[str, Any], field: str, value: Any) -> None:
    if value is None:
        return
    bucket = item.setdefault(field, [])
    if value not in bucket:
        bucket.append(value)
