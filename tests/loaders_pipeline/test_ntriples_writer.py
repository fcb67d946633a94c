"""The loader's own N-Triples writer (`loaders/tripleset.py`) writes exactly what pyoxigraph's
serialiser writes (`ccmkg.store.rdfterms.ntriples`), line for line, on the corpus and the
layout variants and on awkward terms, and refuses what the store cannot hold."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ccmkg.errors import BadParameter
from ccmkg.loaders.emit import emit_set
from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.lookups import lookup_part
from ccmkg.loaders.tripleset import NTriplesWriter, TripleSet, ntriples
from ccmkg.resources import corpus_files
from ccmkg.store import rdfterms

BASE = "https://ccm-kg.org/"
VARIANTS = Path(__file__).resolve().parent.parent / "data" / "variants"


def test_documents_are_written_as_pyoxigraph_writes_them() -> None:
    files = list(corpus_files()) + sorted(VARIANTS.glob("*.txt"))
    assert len(files) > 5
    for path in files:
        raw = path.read_bytes()
        x = extract_document(path, raw)
        x.document.sha256 = hashlib.sha256(raw).hexdigest()
        x.document.file_name = path.name
        graph = emit_set(x, BASE)[1]
        triples = list(graph)  # one order for both writers
        writer = NTriplesWriter()
        assert writer.text(triples) == rdfterms.ntriples(triples), path.name
        # the lookup part written with the document's writer is the same text as alone
        assert lookup_part(graph, writer).text == lookup_part(graph).text


def test_awkward_terms_are_escaped_as_pyoxigraph_escapes_them() -> None:
    s, p = URIRef("https://ccm-kg.org/id/x"), URIRef("https://ccm-kg.org/ontology#p")
    objects = [
        Literal('a "quoted"\nline\r\twith \\ and \u0001 and é and \U0001f600'),
        Literal("fr", lang="fr"),
        Literal("EN upper", lang="EN"),
        Literal("en lower", lang="en"),
        Literal("3", datatype=XSD.integer),
        Literal("plain", datatype=XSD.string),
        Literal("2016-09-05", datatype=XSD.date),
        URIRef("https://ccm-kg.org/id/caf%C3%A9?q=1#frag"),
        BNode("b0"),
    ]
    triples = [(s, p, o) for o in objects] + [(BNode("b1"), p, s)]
    text = ntriples(triples)
    assert text == rdfterms.ntriples(triples)
    assert text.count("\n") == len(triples)


@pytest.mark.parametrize(
    "bad",
    [
        (URIRef("https://ccm-kg.org/a b"), URIRef("https://ccm-kg.org/p"), Literal("x")),
        (URIRef("no-scheme"), URIRef("https://ccm-kg.org/p"), Literal("x")),
        (URIRef("https://ccm-kg.org/s"), URIRef("https://ccm-kg.org/p"), URIRef("https://a/<b>")),
    ],
)
def test_a_term_the_store_cannot_hold_is_refused(bad: tuple[URIRef, URIRef, Literal]) -> None:
    with pytest.raises((ValueError, BadParameter)):
        ntriples([bad])
    with pytest.raises((ValueError, BadParameter)):
        rdfterms.ntriples([bad])


def test_a_tripleset_answers_patterns_added_before_and_after_the_first_question() -> None:
    s, p, q = URIRef("https://x/s"), URIRef("https://x/p"), URIRef("https://x/q")
    graph = TripleSet()
    graph.add((s, p, Literal(1)))
    assert list(graph.objects(s, p)) == [Literal(1)]  # the indexes are built here
    graph.add((s, q, Literal(2)))  # and kept up to date from here on
    assert set(graph.objects(s, None)) == {Literal(1), Literal(2)}
    assert list(graph.subjects(q, Literal(2))) == [s]
    o = URIRef("https://x/o")
    graph.add((o, p, s))
    assert sorted(graph.subjects()) == [o, s]  # each subject once
    graph.remove((o, p, s))
    graph.remove((s, p, Literal(1)))
    assert list(graph.objects(s, None)) == [Literal(2)]
    assert len(graph) == 1
