"""Rows sent by a query worker as plain strings read back as the rdflib terms of the store's."""

from __future__ import annotations

import pickle

import pyoxigraph as ox

from ccmkg.store.rdfterms import from_plain, plain_rows, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("https://ccm-kg.org/id/doc/1"),
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal("Zambie", language="fr"),
    ox.Literal("2014-06-30", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("a string", datatype=ox.NamedNode(XSD + "string")),
]


def test_every_kind_of_term_reads_back_as_to_rdflib_makes_it() -> None:
    (row,) = pickle.loads(pickle.dumps(plain_rows([[*TERMS, None]])))
    for term, sent in zip([*TERMS, None], row, strict=True):
        back, expected = from_plain(sent), to_rdflib(term)
        assert back == expected and type(back) is type(expected), term
        if expected is not None:
            assert getattr(back, "datatype", None) == getattr(expected, "datatype", None)
            assert getattr(back, "language", None) == getattr(expected, "language", None)


def test_a_term_repeated_over_rows_is_sent_once() -> None:
    quote = "a long quote " * 50
    rows = [[ox.NamedNode(f"https://ccm-kg.org/id/h/{i}"), ox.Literal(quote)] for i in range(20)]
    once = len(pickle.dumps(plain_rows(rows[:1])))
    assert len(pickle.dumps(plain_rows(rows))) < once + 20 * 100  # the quote is not repeated


def test_triple_terms_pass_as_they_are() -> None:
    triple = ox.Triple(TERMS[0], TERMS[0], TERMS[2])
    assert plain_rows([[triple]]) == [(triple,)]
