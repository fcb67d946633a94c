"""A holding's sources come in one order whatever order the store gives its rows (the disk and
in-memory copies of the store differ): by document date, document, then span."""

from __future__ import annotations

import random
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ccmkg.api.services.holdings import fold_holdings

HOLDING = URIRef("https://ccm-kg.org/id/holding/test")


def _row(doc: str, date: str, start: int) -> dict[str, Any]:
    return {
        "holding": HOLDING,
        "doc": URIRef(f"https://ccm-kg.org/id/doc/{doc}"),
        "docDate": Literal(date, datatype=XSD.date),
        "quote": Literal(f"quote {doc} {start}"),
        "pstart": Literal(start),
        "pend": Literal(start + 5),
    }


ROWS = [
    _row("bbbb", "2015-03-01", 40),
    _row("aaaa", "2016-01-01", 10),
    _row("bbbb", "2015-03-01", 7),
    _row("cccc", "2015-03-01", 99),
]


def _sources(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    (item,) = fold_holdings(rows, lambda row: {})
    return [(s["document"]["id"].rsplit("/", 1)[1], s["start"]) for s in item["sources"]]


def test_sources_are_ordered_by_document_date_document_and_span() -> None:
    assert _sources(ROWS) == [("bbbb", 7), ("bbbb", 40), ("cccc", 99), ("aaaa", 10)]


def test_the_order_does_not_depend_on_the_rows_order() -> None:
    shuffled = ROWS[:]
    for seed in range(10):
        random.Random(seed).shuffle(shuffled)
        assert _sources(shuffled) == _sources(ROWS)
