"""SHACL on a document before it is written: the package's shapes, fed N-Triples text.

The text is written by pyoxigraph (what the store will hold; ten times faster than rdflib's
serialiser), so a worker process can check a document it emitted without building anything
else, and the loading process checks again only what it changed (conflict nodes, evidence).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, URIRef

from ccmkg.loaders.tripleset import TripleSet, ntriples
from ccmkg.resources import shape_files
from ccmkg.rules import Validate as Validate  # the loaders' name for it
from ccmkg.rules import Verdict as Verdict


def check_text(data: str, subjects: Iterable[str], context: Graph | str | None = None) -> Verdict:
    """A document's N-Triples against the shapes, with `context` (other documents' nodes it
    links to) mixed in; results about those borrowed nodes are left to their documents.

    `subjects`: the document's subject IRIs (read only when there is a context).
    """
    if not _have_shapes():
        return True, []
    from ccmkg.validation import package_validator

    validator = package_validator()
    if context is None or not len(context):
        report = validator.validate(data)
    elif isinstance(context, str):  # N-Triples too: one text, the union of both graphs
        mine = set(data.splitlines(keepends=True))
        borrowed = [t for t in dict.fromkeys(context.splitlines(keepends=True)) if t not in mine]
        report = validator.validate(data + "".join(borrowed), focus=set(subjects))
    else:
        report = validator.validate(data, context=context, focus=set(subjects))
    return report.conforms, report.violation_lines()


@lru_cache(maxsize=1)
def _have_shapes() -> bool:
    """Whether the package ships shapes (looked up once: the folder is listed otherwise on
    every check)."""
    return bool(shape_files())


def compile_shapes() -> None:
    """Compile the package's shapes now (once per process): worker processes forked after this
    share them instead of each importing and compiling its own."""
    if shape_files():
        from ccmkg.validation import package_validator

        package_validator()


def subjects_of(graph: Graph | TripleSet) -> Iterable[str]:
    return (str(s) for s in graph.subjects() if isinstance(s, URIRef))


@lru_cache(maxsize=1)
def default_validator() -> Validate:
    """The package's shapes + ontology, compiled once; no shapes → everything conforms."""

    def validate(graph: Graph, context: Graph | None = None) -> Verdict:
        return check_text(ntriples(graph), subjects_of(graph), context)

    return validate
