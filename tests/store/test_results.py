"""ccmkg.store.results: our SELECT writers, read back by pyoxigraph's own results parsers.

The writers write each distinct term once per answer (a memo); these tests check that what
they write is what was asked, terms repeated across rows and columns included.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from ccmkg.errors import ResponseTooLarge
from ccmkg.store.results import write_solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"

TERMS: list[object] = [
    ox.NamedNode(EX + "a?b=c&d"),
    ox.BlankNode("b0"),
    ox.Literal('plain, with "quotes", a tab\tand a line end\r\n'),
    ox.Literal("année", language="fr"),
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("<tag> & 'apostrophe' \u2028 \x01"),
    ox.Literal("2020-11-25", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("42"),  # the same text as TERMS[4], another term
    ox.Literal("42", language="en"),
]
VARIABLES = ["x", "y", "z"]
# Terms repeated in several rows and columns, and unbound values.
ROWS = [
    (TERMS[0], TERMS[1], TERMS[2]),
    (TERMS[3], None, TERMS[4]),
    (TERMS[0], TERMS[5], TERMS[6]),
    (None, None, None),
    (TERMS[4], TERMS[4], TERMS[0]),
    (TERMS[7], TERMS[8], TERMS[4]),
]

FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def _read(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple[object, ...]]:
    solutions = ox.parse_query_results(body, fmt)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == VARIABLES
    return [tuple(s[v] for v in VARIABLES) for s in solutions]


@pytest.mark.parametrize("media_type", FORMATS)
def test_every_term_reads_back_as_written(media_type: str) -> None:
    body, truncated = write_solutions(VARIABLES, ROWS, media_type, max_rows=None)
    assert not truncated
    assert _read(body, FORMATS[media_type]) == ROWS


def test_json_is_the_document_json_dumps_writes() -> None:
    body, _ = write_solutions(VARIABLES, ROWS, "application/sparql-results+json", None)
    doc = json.loads(body)
    assert doc["head"] == {"vars": VARIABLES}
    assert doc["results"]["bindings"][1] == {
        "x": {"type": "literal", "value": "année", "xml:lang": "fr"},
        "z": {"type": "literal", "value": "42", "datatype": XSD + "integer"},
    }
    assert doc["results"]["bindings"][3] == {}
    assert body == json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def test_csv_writes_values() -> None:
    body, _ = write_solutions(VARIABLES, ROWS[:2], "text/csv", None)
    lines = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert lines == [
        VARIABLES,
        [EX + "a?b=c&d", "_:b0", 'plain, with "quotes", a tab\tand a line end\r\n'],
        ["année", "", "42"],
    ]


def test_an_rdf_star_triple_is_written_in_json() -> None:
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))
    body, _ = write_solutions(["t"], [(triple,), (triple,)], "application/sparql-results+json", 5)
    bindings = json.loads(body)["results"]["bindings"]
    assert bindings[0] == bindings[1]
    assert bindings[0]["t"]["value"]["object"] == {"type": "literal", "value": "o"}


def test_row_cap_and_size_limit() -> None:
    body, truncated = write_solutions(VARIABLES, ROWS, "application/sparql-results+json", 2)
    assert truncated
    assert _read(body, ox.QueryResultsFormat.JSON) == ROWS[:2]
    with pytest.raises(ResponseTooLarge):
        write_solutions(VARIABLES, ROWS * 100, "application/sparql-results+xml", None, 1000)


def test_a_row_of_the_wrong_width_is_an_error() -> None:
    with pytest.raises(ValueError):
        write_solutions(VARIABLES, [(TERMS[0],)], "application/sparql-results+json", None)
