"""A State whose sources tie on the kind of its instrument gets the same answer every time,
whatever order the store returns the rows in (the store promises no order)."""

from __future__ import annotations

from itertools import permutations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ccmkg.api.services.states import state_items

STATE = URIRef("https://ccm-kg.org/id/state/XYZ")


def _row(kind: str, source: str) -> dict:
    return {
        "state": STATE,
        "iso3": Literal("XYZ"),
        "stateLabel": Literal("Testland"),
        "actionType": Literal(kind),
        "date": Literal("2013-05-02", datatype=XSD.date),
        "source": URIRef(f"https://ccm-kg.org/graph/reference/{source}"),
        "sourceUrl": Literal(f"https://example.org/{source}"),
        "retrieved": Literal("2026-12-01", datatype=XSD.date),
    }


def test_a_tie_between_instrument_kinds_is_settled_the_same_in_any_row_order() -> None:
    rows = [_row("ratification", "a"), _row("accession", "b")]
    answers = {state_items(list(order))[0].model_dump_json() for order in permutations(rows)}
    assert len(answers) == 1
    [state] = state_items(rows)
    assert state.instrument is not None
    assert state.instrument.conflict is True
    assert {c.type for c in state.instrument.claims} == {"ratification", "accession"}
