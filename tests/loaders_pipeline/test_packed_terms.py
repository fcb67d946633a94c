"""A worker's meeting triples travel packed (`loaders/parallel.py`) and come back as the very
terms pickle would give: equal, of the same type, with the same lexical form, language and
datatype — on every meeting triple of the corpus and variants, and on awkward literals."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ccmkg.loaders.emit import emit_set
from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.parallel import _extract_and_emit, _pack, _unpack
from ccmkg.resources import corpus_files

BASE = "https://ccm-kg.org/"
VARIANTS = Path(__file__).resolve().parent.parent / "data" / "variants"


def _same(a: Node, b: Node) -> bool:
    if type(a) is not type(b) or a != b or str(a) != str(b):
        return False
    if isinstance(a, Literal) and isinstance(b, Literal):
        return a.language == b.language and a.datatype == b.datatype
    return True


def _round_trip(node: Node) -> Node:
    return _unpack(pickle.loads(pickle.dumps(_pack(node))))


def test_meeting_triples_come_back_as_the_worker_made_them() -> None:
    seen = 0
    for path in list(corpus_files()) + sorted(VARIANTS.glob("*.txt")):
        raw = path.read_bytes()
        emission = _extract_and_emit(BASE, (path, raw)).emission
        assert emission is not None
        x = extract_document(path, raw)
        x.document.sha256 = hashlib.sha256(raw).hexdigest()
        x.document.file_name = path.name
        made = {t: t for t in emit_set(x, BASE)[1]}  # the worker's own terms, made again
        unpacked = pickle.loads(pickle.dumps(emission)).meeting_triples()
        assert len(set(unpacked)) == len(unpacked) == len(emission.meetings)
        for triple in unpacked:
            assert all(_same(a, b) for a, b in zip(triple, made[triple], strict=True))
            seen += 1
    assert seen > 100


def test_awkward_terms_come_back_as_pickle_gives_them() -> None:
    terms: list[Node] = [
        URIRef(f"{BASE}id/meeting/x"),
        Literal("plain"),
        Literal("typed string", datatype=XSD.string),
        Literal("Genève", lang="fr"),
        Literal("hello", lang="EN-gb"),
        Literal(3),
        Literal("03", datatype=XSD.integer),
        Literal(True),
        Literal("2016-03-28", datatype=XSD.date),
        Literal("2016", datatype=XSD.gYear),
        Literal("not a date", datatype=XSD.date),
        BNode("b1"),
    ]
    for term in terms:
        assert _same(_round_trip(term), pickle.loads(pickle.dumps(term))), term
        assert _same(_round_trip(term), _round_trip(term))  # the cached one is the same
