"""A list answers the same whatever order the store gives its rows in (the disk and in-memory
copies differ, and so does a query's shape): an item's sources, a timeline's events of one day
and kind, an actor's label and names."""

from __future__ import annotations

import random
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ccmkg.api.services.actors import _events, _fold_actors
from ccmkg.api.services.folding import fold_rows
from ccmkg.model.terms import CCM
from ccmkg.store import Rows

ID = "https://ccm-kg.org/id/"


def _shuffles(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    out = []
    for seed in range(12):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        out.append(shuffled)
    return out


def _passage_row(item: str, doc: str, section: str, quote: str) -> dict[str, Any]:
    return {
        "item": URIRef(ID + item),
        "doc": URIRef(ID + "doc/" + doc),
        "docDate": Literal("2015-03-01", datatype=XSD.date),
        "section": Literal(section),
        "quote": Literal(quote),
        "pstart": Literal(10),
        "pend": Literal(20),
    }


def test_an_items_sources_never_tie() -> None:
    """Two sources of one document and span that differ in section or quote only."""
    rows = [
        _passage_row("x", "a", "2", "same words"),
        _passage_row("x", "a", "1", "same words"),
        _passage_row("x", "a", "1", "other words"),
        _passage_row("x", "b", "1", "same words"),
    ]

    def sources(order: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        (item,) = fold_rows(order, "item", lambda row: {})
        return [(s["document"]["id"][-1], s["section"], s["quote"]) for s in item["sources"]]

    expected = [("a", "1", "other words"), ("a", "1", "same words"), ("a", "2", "same words")]
    assert sources(rows) == [*expected, ("b", "1", "same words")]
    assert all(sources(order) == sources(rows) for order in _shuffles(rows))


def test_timeline_events_of_one_day_and_kind_keep_one_order() -> None:
    rows: list[dict[str, Any]] = [
        {
            "fact": URIRef(ID + f"fact/{n}"),
            "kind": Literal("attended"),
            "label": Literal(f"Meeting {n}"),
            "date": Literal("2016-09-05", datatype=XSD.date),
        }
        for n in "cab"
    ]
    first = [e.fact for e in _events(rows)]
    assert first == [ID + "fact/a", ID + "fact/b", ID + "fact/c"]
    assert all([e.fact for e in _events(order)] == first for order in _shuffles(rows))


def test_an_actors_label_and_names_do_not_follow_the_rows() -> None:
    """Two documents label one State two ways: the same label and names on every request."""
    state = {"actor": URIRef(ID + "state/XXX"), "actorClass": CCM.State}
    rows: list[dict[str, Any]] = [
        {**state, "actorLabel": Literal(label), "name": Literal(name)}
        for label in ("Ruritania", "Republic of Ruritania")
        for name in ("Ruritanie", "Ruritania", "Rep. Ruritania")
    ]

    def shown(order: list[dict[str, Any]]) -> tuple[str | None, list[str]]:
        (actor,) = _fold_actors(Rows(variables=list(rows[0]), rows=order))
        return actor.label, actor.names

    assert shown(rows)[1] == sorted(shown(rows)[1])
    assert all(shown(order) == shown(rows) for order in _shuffles(rows))
