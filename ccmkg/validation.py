"""SHACL validation: data (+ ontology + the store's context) against our shapes → a Report.

Engines behind one interface, chosen per shapes graph (docs/decisions/validation.md):
- `shacl` (PyPI, Rust): two orders of magnitude faster than pyshacl; passes the W3C suite
  but one refusal test; takes N-Triples text, never a path.
- `pyshacl`: the reference; used whole when the shapes need SHACL-AF
  (FAST_ENGINE_UNSUPPORTED) or when asked for by name.
- `hybrid`: `shacl` for core constraints, pyshacl for SPARQL-based ones, whose dialects
  differ (xsd:date ordering).

The report is the same whichever engine ran: conforms (no result of severity Violation;
warnings and infos advise, they do not block), counts per severity, one entry per result
(focus, path, value, message, severity, shape, component) and the sh:ValidationReport graph.
Nothing here reads a file except the shapes and ontology it is given, nor opens a socket.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import pyshacl
import shacl
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ccmkg.errors import QueryTimeout
from ccmkg.rdf_input import TURTLE, ParsedRdf, ntriples_to_rdflib, parse_file, parse_rdf
from ccmkg.shacl_sparql import (
    Check,
    Source,
    Unsupported,
    Violation,
    compile_shapes,
    run_checks,
    to_rdflib,
)
from ccmkg.store.base import Store
from ccmkg.store.rdfterms import to_oxigraph

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = ("Violation", "Warning", "Info")

# SHACL Advanced Features: outside the W3C suites we check engines with, and pyshacl is the
# only engine here documented to implement them (node expressions, rules); such shapes go to
# pyshacl whole.
FAST_ENGINE_UNSUPPORTED: frozenset[URIRef] = frozenset({SH.expression, SH.rule})

# What a data steward reads when the shape carries no sh:message of its own.
DEFAULT_MESSAGES: dict[str, str] = {
    "MinCountConstraintComponent": "too few values",
    "MaxCountConstraintComponent": "too many values",
    "ClassConstraintComponent": "the value is not an instance of the required class",
    "DatatypeConstraintComponent": "the value does not have the required datatype",
    "NodeKindConstraintComponent": "the value is not of the required kind (IRI, literal, …)",
    "PatternConstraintComponent": "the value does not match the required pattern",
    "InConstraintComponent": "the value is not one of the allowed values",
    "HasValueConstraintComponent": "a required value is missing",
    "NodeConstraintComponent": "the value does not conform to the shape it must have",
    "ClosedConstraintComponent": "a property not allowed here",
    "MinLengthConstraintComponent": "the value is too short",
    "MaxLengthConstraintComponent": "the value is too long",
    "LessThanConstraintComponent": "the value is not less than the value it is compared with",
    "LessThanOrEqualsConstraintComponent": "the value is greater than the value it is "
    "compared with",
    "SPARQLConstraintComponent": "a SPARQL check failed",
}


@dataclass(frozen=True)
class Result:
    """One validation result, as plain strings a person or a JSON client can read.

    IRIs are given bare, literals by their lexical form, blank nodes as `_:label`; `path` is
    the predicate IRI or a SPARQL property path; `shape` is the nearest named shape.
    """

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    component: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
            "shape": self.shape,
            "component": self.component,
        }

    def verdict_key(self) -> tuple[str | None, ...]:
        """What two engines must agree on; blank node labels differ between engines."""

        def norm(s: str | None) -> str | None:
            return "_:" if s is not None and s.startswith("_:") else s

        # Engines render a sequence path with or without its outer parentheses.
        path = self.path[1:-1] if self.path and self.path.startswith("(") else self.path
        return (norm(self.focus), path, norm(self.value), self.severity,
                norm(self.shape), self.component)  # fmt: skip


@dataclass
class Report:
    """The outcome of one validation; `turtle` (the sh:ValidationReport) is built on demand."""

    results: list[Result]
    engine: str
    _graph: Callable[[], Graph] = field(repr=False)
    _graph_of: Callable[[int, int], Graph] | None = field(default=None, repr=False)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    @property
    def counts(self) -> dict[str, int]:
        seen = Counter(r.severity for r in self.results)
        return {s: seen.get(s, 0) for s in SEVERITIES}

    def violation_lines(self) -> list[str]:
        """One line per violation (focus, path, message): what a load or a rule reports."""
        return [
            f"{r.severity}: {r.focus}" + (f" {r.path}" if r.path else "") + f": {r.message}"
            for r in self.results
            if r.severity == "Violation"
        ]

    @cached_property
    def graph(self) -> Graph:
        """The sh:ValidationReport, its sh:conforms following the rule above."""
        return _with_verdict(self._graph(), self.conforms)

    @property
    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "counts": self.counts,
            "results": [r.as_dict() for r in self.results],
            "engine": self.engine,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], turtle: str | None = None) -> Report:
        """A report made elsewhere (another process) from `as_dict()` and, if given, its Turtle."""

        def graph() -> Graph:
            if turtle is None:
                raise ValueError("this report was passed on without its graph")
            return parse_rdf(turtle.encode("utf-8"), TURTLE, source="report").graph

        results = [Result(**r) for r in data["results"]]
        return cls(results=results, engine=data["engine"], _graph=graph)

    def window(self, offset: int, limit: int) -> ReportWindow:
        """At most `limit` results from `offset`, with the verdict and counts of the whole.

        Why: a store with many defects has a report too large to send or build whole; the
        window's Turtle is built from its own results only.

        Raises:
            ValueError: this report's engine cannot build the graph of part of its results.
        """
        if self._graph_of is None:
            raise ValueError(f"a report of engine {self.engine!r} has no partial graph")
        return ReportWindow(self, offset, limit, self._graph_of)


def _with_verdict(g: Graph, conforms: bool) -> Graph:
    """The report graph with sh:conforms set to the report's verdict (warnings conform)."""
    for report in g.subjects(RDF.type, SH.ValidationReport):
        g.set((report, SH.conforms, Literal(conforms)))
    g.bind("sh", SH)
    return g


@dataclass
class ReportWindow:
    """One window of a report: its results, and the verdict and counts of the whole report."""

    whole: Report
    offset: int
    limit: int
    _graph_of: Callable[[int, int], Graph] = field(repr=False)

    @property
    def results(self) -> list[Result]:
        return self.whole.results[self.offset : self.offset + self.limit]

    @property
    def total(self) -> int:
        return len(self.whole.results)

    @property
    def truncated(self) -> bool:
        """More results follow this window's last one."""
        return self.offset + self.limit < self.total

    @property
    def turtle(self) -> str:
        g = self._graph_of(self.offset, self.offset + self.limit)
        return _with_verdict(g, self.whole.conforms).serialize(format="turtle")

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.whole.conforms,
            "counts": self.whole.counts,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "truncated": self.truncated,
            "results": [r.as_dict() for r in self.results],
            "engine": self.whole.engine,
        }


@dataclass
class DataGraph:
    """The data to validate, in whichever form an engine wants; converted once, on demand."""

    _graph: Graph | None = None
    _ntriples: str | None = None

    @classmethod
    def of(cls, data: Graph | str | ParsedRdf | DataGraph) -> DataGraph:
        if isinstance(data, DataGraph):
            return data
        if isinstance(data, ParsedRdf):
            return cls(_graph=data.graph, _ntriples=data.ntriples)
        return cls(_graph=data) if isinstance(data, Graph) else cls(_ntriples=data)

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = ntriples_to_rdflib(self._ntriples or "")
        return self._graph

    @property
    def ntriples(self) -> str:
        if self._ntriples is None:
            self._ntriples = self.graph.serialize(format="nt")
        return self._ntriples


@dataclass
class EngineRun:
    """An engine's raw answer: results (unfiltered) and a way to build its report graph."""

    results: list[Result]
    graph: Callable[[], Graph]
    # The report graph of results[start:stop] alone, where an engine can build one (sparql).
    graph_of: Callable[[int, int], Graph] | None = None


class CompiledShapes(Protocol):
    def run(self, data: Sequence[DataGraph]) -> EngineRun:
        """Validate the union of `data` (spec semantics: every result, any severity)."""
        ...


class Engine(Protocol):
    name: str

    def compile(self, shapes: Graph) -> CompiledShapes: ...


# --- pyshacl --------------------------------------------------------------------------------


class PyShaclEngine:
    """The reference engine; reads only the rdflib Graphs it is given."""

    name = "pyshacl"

    def compile(self, shapes: Graph) -> CompiledShapes:
        return _PyShaclShapes(shapes)


class _PyShaclShapes:
    def __init__(self, shapes: Graph, use_shapes: list[str | URIRef] | None = None) -> None:
        self.shapes = shapes
        self.use_shapes = use_shapes

    def run(self, data: Sequence[DataGraph]) -> EngineRun:
        combined = Graph()
        for part in data:
            for triple in part.graph:
                combined.add(triple)
        # inplace: the combined graph is ours to spend; do_owl_imports off: nothing fetched.
        _, report, _ = pyshacl.validate(
            combined,
            shacl_graph=self.shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=False,
            do_owl_imports=False,
            use_shapes=self.use_shapes,
        )
        assert isinstance(report, Graph)
        results = [
            _result_from_graph(report, node, self.shapes)
            for node in report.subjects(RDF.type, SH.ValidationResult)
        ]
        return EngineRun(results=results, graph=lambda: report)


# --- shacl (PyPI) ---------------------------------------------------------------------------


class FastShaclEngine:
    """The `shacl` package: compiled shapes, N-Triples in, releases the GIL while it runs."""

    name = "shacl"

    def compile(self, shapes: Graph) -> CompiledShapes:
        compiled = shacl.Shapes.from_text(shapes.serialize(format="nt"), format="ntriples")
        return _FastShapes(compiled, shapes)


class _FastShapes:
    def __init__(self, compiled: shacl.Shapes, shapes: Graph) -> None:
        self.compiled = compiled
        self.shapes = shapes

    def run(self, data: Sequence[DataGraph]) -> EngineRun:
        text = "".join(part.ntriples for part in data)
        try:
            report = self.compiled.validate_text(text, format="ntriples", allow_warnings=False)
        except ValueError as exc:  # only our own N-Triples reach it, so this is a bug of ours
            raise RuntimeError(f"shacl engine refused the data: {exc}") from exc
        results = [_result_from_fast(r, self.shapes) for r in report.results]
        turtle = report.turtle

        def graph() -> Graph:
            # pyoxigraph, not rdflib: rdflib would rewrite the reported values' lexical forms.
            return parse_rdf(turtle.encode("utf-8"), TURTLE, source="shacl report").graph

        return EngineRun(results=results, graph=graph)


# --- hybrid: SPARQL-based constraints by pyshacl, everything else by `shacl` -----------------


class HybridEngine:
    """`shacl` for the core constraints, pyshacl for the sh:sparql ones only.

    Why: `shacl`'s SPARQL leaves `<` undefined on xsd:date (SPARQL 1.1 only orders
    xsd:dateTime), so a date-order check written in SPARQL never fires there, while pyshacl
    (rdflib) orders dates. Our shapes write such checks; the seeded defect
    `ends-before-start` in tests/validation catches the difference.
    """

    name = "hybrid"

    def compile(self, shapes: Graph) -> CompiledShapes:
        core = Graph()
        for triple in shapes:
            if triple[1] != SH.sparql:
                core.add(triple)
        owners = set(shapes.subjects(SH.sparql, None))
        named: list[str | URIRef] = [s for s in owners if isinstance(s, URIRef)]
        use = named if len(named) == len(owners) else None  # pyshacl takes only IRIs here
        return _HybridShapes(FastShaclEngine().compile(core), _PyShaclShapes(shapes, use))


class _HybridShapes:
    def __init__(self, fast: CompiledShapes, sparql: _PyShaclShapes) -> None:
        self.fast = fast
        self.sparql = sparql

    def run(self, data: Sequence[DataGraph]) -> EngineRun:
        fast = self.fast.run(data)
        slow = self.sparql.run(data)
        keep = "SPARQLConstraintComponent"
        results = fast.results + [r for r in slow.results if r.component == keep]

        def graph() -> Graph:
            g, other = fast.graph(), slow.graph()
            report = next(iter(g.subjects(RDF.type, SH.ValidationReport)))
            for res in other.subjects(RDF.type, SH.ValidationResult):
                if other.value(res, SH.sourceConstraintComponent) != SH[keep]:
                    continue
                g.add((report, SH.result, res))
                stack = [res]
                while stack:
                    node = stack.pop()
                    for triple in other.triples((node, None, None)):
                        g.add(triple)
                        if isinstance(triple[2], BNode):
                            stack.append(triple[2])
            if (report, SH.result, None) in g:
                g.set((report, SH.conforms, Literal(False)))
            return g

        return EngineRun(results=results, graph=graph)


# --- sparql: shapes compiled to SPARQL, run on a pyoxigraph store ----------------------------


class SparqlEngine:
    """Our shapes as SPARQL queries on an indexed pyoxigraph store (`ccmkg.shacl_sparql`).

    Shapes outside the compiled subset go to pyshacl whole: the general fallback for any
    shapes graph (uploaded shapes, the W3C suite). `run_store` validates a store's default
    graph in place; `run` loads the data into a fresh in-memory store first.
    """

    name = "sparql"

    def compile(self, shapes: Graph) -> CompiledShapes:
        try:
            return SparqlShapes(compile_shapes(shapes), shapes)
        except Unsupported:
            return _PyShaclShapes(shapes)


class SparqlShapes:
    def __init__(self, checks: list[Check], shapes: Graph) -> None:
        self.checks = checks
        self.shapes = shapes

    def run(self, data: Sequence[DataGraph]) -> EngineRun:
        store = ox.Store()
        for part in data:
            text = part.ntriples.encode("utf-8")
            if text:
                store.bulk_load(text, ox.RdfFormat.N_TRIPLES)
        return self.run_store(store)

    def run_store(self, store: ox.Store | Source) -> EngineRun:
        """Validate what `store`'s default graph holds, with its indexes as they are."""
        pairs = sorted(
            ((self._result(v), v) for v in run_checks(store, self.checks)),
            key=lambda pair: _order(pair[0]),
        )
        results = [r for r, _ in pairs]
        found = [v for _, v in pairs]
        return EngineRun(
            results=results,
            graph=lambda: _sparql_report(found, self.shapes),
            graph_of=lambda start, stop: _sparql_report(found[start:stop], self.shapes),
        )

    def _result(self, v: Violation) -> Result:
        c = v.check
        if v.message is not None:
            message = v.message
        elif c.message is not None:
            message = str(c.message)
        else:
            message = _default_message(c.component)
        return Result(
            focus=_ox_display(v.focus),
            path=None if c.path is None else render_path(self.shapes, c.path),
            value=None if v.value is None else _ox_display(v.value),
            message=message,
            severity=_local(c.severity),
            shape=_display(_named_shape(self.shapes, c.shape)),
            component=c.component,
        )


class PortSource:
    """Our store port (embedded or remote) as a place to run compiled checks.

    Why: a served store is reached through `Store.select`, which bounds each query in a
    killable worker when given a time limit; one deadline covers the whole validation.
    """

    def __init__(self, store: Store, timeout_s: float | None = None) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.deadline = None if timeout_s is None else time.monotonic() + timeout_s

    def _left(self) -> float | None:
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(
                f"Validating the store took longer than the time limit of {self.timeout_s:g} s.",
                hint="Validate from the command line (ccmkg validate --store), with no limit.",
            )
        return left

    def exists(self, pattern: str) -> bool:
        found = self.store.select(f"SELECT * WHERE {{ {pattern} }} LIMIT 1", timeout_s=self._left())
        return bool(found.rows)

    def select(self, query: str) -> tuple[set[str], list[dict[str, Any]]]:
        found = self.store.select(query, timeout_s=self._left())
        rows = [
            {k: None if v is None else to_oxigraph(v) for k, v in row.items()} for row in found.rows
        ]
        return set(found.variables), rows


def _ox_display(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _sparql_report(found: list[Violation], shapes: Graph) -> Graph:
    """The sh:ValidationReport of a compiled run, paths copied from the shapes graph."""
    g = Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not found)))
    for v in found:
        c, node = v.check, BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, to_rdflib(v.focus)))
        if v.value is not None:
            g.add((node, SH.value, to_rdflib(v.value)))
        g.add((node, SH.resultSeverity, URIRef(c.severity)))
        g.add((node, SH.sourceShape, c.shape))
        g.add((node, SH.sourceConstraintComponent, SH[c.component]))
        message = v.message if v.message is not None else c.message
        if message is not None:
            g.add(
                (node, SH.resultMessage, Literal(message) if isinstance(message, str) else message)
            )
        if c.path is not None:
            g.add((node, SH.resultPath, c.path))
            stack = [c.path]
            while stack:  # a path's structure (lists, inverse…) goes with it
                for triple in shapes.triples((stack.pop(), None, None)):
                    g.add(triple)
                    if isinstance(triple[2], BNode):
                        stack.append(triple[2])
    return g


ENGINES: dict[str, Engine] = {
    e.name: e for e in (FastShaclEngine(), PyShaclEngine(), HybridEngine(), SparqlEngine())
}


def choose_engine(shapes: Graph) -> str:
    """`shacl` unless the shapes need pyshacl: SHACL-AF features → pyshacl for all of them;
    SPARQL-based constraints → pyshacl for those constraints only (hybrid)."""
    if any((None, p, None) in shapes for p in FAST_ENGINE_UNSUPPORTED):
        return "pyshacl"
    return "hybrid" if (None, SH.sparql, None) in shapes else "shacl"


# --- the validator --------------------------------------------------------------------------


class Validator:
    """Shapes and ontology loaded and compiled once; validates many inputs, thread-safely."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None, engine: str = "auto") -> None:
        self.shapes = shapes
        self.ontology = DataGraph.of(ontology if ontology is not None else Graph())
        self.ontology_subjects = {str(s) for s in self.ontology.graph.subjects()}
        name = choose_engine(shapes) if engine == "auto" else engine
        if name not in ENGINES:
            raise ValueError(f"unknown SHACL engine {name!r}; known: {', '.join(ENGINES)}")
        self.engine = name
        self._compiled = ENGINES[name].compile(shapes)

    @classmethod
    def from_files(
        cls, shape_files: Iterable[Path], ontology_file: Path | None, engine: str = "auto"
    ) -> Validator:
        """Load shapes (merged into one graph) and the ontology from our own files."""
        shapes = Graph()
        for path in shape_files:
            shapes += parse_file(path).graph
        ontology = parse_file(ontology_file).graph if ontology_file else None
        return cls(shapes, ontology, engine)

    @classmethod
    def from_package(cls, engine: str = "auto") -> Validator:
        """The shapes/ and ontology/ shipped with the package."""
        from ccmkg.resources import ontology_file, shape_files

        onto = ontology_file()
        return cls.from_files(shape_files(), onto if onto.exists() else None, engine)

    def validate(
        self,
        data: Graph | str | ParsedRdf | DataGraph,
        *,
        context: Graph | None = None,
        focus: set[str] | None = None,
    ) -> Report:
        """Validate `data` (Graph, N-Triples or a parse) with ontology and `context` mixed in.

        `focus`: when given, only results about these IRIs are kept (blank nodes are always
        kept: they can only come from the data). Used to keep the store's own nodes, fetched
        as context, from being reported against an upload.
        """
        parts = [DataGraph.of(data), self.ontology]
        if context is not None and len(context):
            parts.append(DataGraph.of(context))
        run = self._compiled.run(parts)

        def kept(focus_str: str) -> bool:
            return focus is None or focus_str.startswith("_:") or focus_str in focus

        results = sorted((r for r in run.results if kept(r.focus)), key=_order)
        dropped = len(results) != len(run.results)

        def graph() -> Graph:
            g = run.graph()
            return _filter_report(g, kept) if dropped else g

        return Report(results=results, engine=self.engine, _graph=graph)

    def validate_store(self, store: ox.Store | Store, *, timeout_s: float | None = None) -> Report:
        """Validate everything a store's default graph holds, in place.

        For the `sparql` engine only (the compiled shapes run on the store's own indexes);
        the store must hold the ontology too (ours keep it in the default graph, the union of
        the named graphs). `store`: a pyoxigraph store (queried here, on every core) or our
        store port (embedded or remote; its queries go through `select`, each within what is
        left of `timeout_s` for the whole validation).

        Raises:
            ValueError: this validator's engine cannot run on a store.
            QueryTimeout: `timeout_s` passed before the last check ran.
        """
        if not isinstance(self._compiled, SparqlShapes):
            raise ValueError(f"engine {self.engine!r} cannot validate a store in place")
        source = store if isinstance(store, ox.Store) else PortSource(store, timeout_s)
        run = self._compiled.run_store(source)  # in `_order` already
        return Report(
            results=run.results, engine=self.engine, _graph=run.graph, _graph_of=run.graph_of
        )

    def validate_upload(self, data: Graph | ParsedRdf, store: Any) -> Report:
        """Validate an upload together with the store's data about the IRIs it mentions.

        Only results about nodes the upload describes (its subjects) or introduces (objects
        the store and ontology know nothing about) are kept.
        """
        graph = data.graph if isinstance(data, ParsedRdf) else data
        return self.validate_in_context(data, store_context(store, graph))

    def validate_in_context(self, data: Graph | ParsedRdf, context: Graph) -> Report:
        """validate_upload with the store's context fetched beforehand (`store_context`)."""
        whole = data
        data = data.graph if isinstance(data, ParsedRdf) else data
        described = {str(s) for s in context.subjects()} | self.ontology_subjects
        focus = {str(s) for s in data.subjects() if isinstance(s, URIRef)}
        focus |= {
            str(o) for o in data.objects() if isinstance(o, URIRef) and str(o) not in described
        }
        return self.validate(whole, context=context, focus=focus)


def _order(r: Result) -> tuple[int, str, str, str]:
    rank = SEVERITIES.index(r.severity) if r.severity in SEVERITIES else len(SEVERITIES)
    return rank, r.focus, r.path or "", r.value or ""


_validators: dict[str, Validator] = {}
_validators_lock = threading.Lock()


# Our own shapes write their SPARQL constraints in the dialect both engines share (dates are
# compared as strings), and tests/validation/test_package_engine.py proves `shacl` gives
# pyshacl's verdicts on every example, so the package's shapes need no pyshacl at all.
PACKAGE_ENGINE = "shacl"


def package_validator(engine: str = PACKAGE_ENGINE) -> Validator:
    """One Validator per engine for the package's shapes, compiled on first use."""
    with _validators_lock:
        if engine not in _validators:
            _validators[engine] = Validator.from_package(engine)
        return _validators[engine]


# --- the store's context --------------------------------------------------------------------

_CONTEXT_QUERY = """CONSTRUCT { ?s ?p ?o . ?o a ?type }
WHERE { VALUES ?s { %s } ?s ?p ?o OPTIONAL { ?o a ?type } }"""
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')
_CONTEXT_BATCH = 200


def store_context(store: Any, data: Graph) -> Graph:
    """The store's triples about the IRIs `data` mentions, plus the types of their objects.

    That is what a shape needs to check a link into existing data (sh:class on a State the
    upload points at). IRIs come from a parsed graph; any with characters an IRI cannot hold
    are left out rather than written into the query.
    """
    return context_of(store, mentioned_iris(data))


def mentioned_iris(data: Graph) -> list[str]:
    """The IRIs `data` mentions as subject or object (those `store_context` looks up)."""
    iris = sorted(
        {str(t) for t in (*data.subjects(), *data.objects()) if isinstance(t, URIRef)}
        - {str(RDF.type)}
    )
    return [i for i in iris if not (_IRI_FORBIDDEN & set(i))]


def context_of(store: Any, iris: Sequence[str]) -> Graph:
    """The store's triples about `iris` (checked IRIs), plus the types of their objects."""
    iris = [i for i in iris if not (_IRI_FORBIDDEN & set(i))]
    out = Graph()
    for start in range(0, len(iris), _CONTEXT_BATCH):
        values = " ".join(f"<{i}>" for i in iris[start : start + _CONTEXT_BATCH])
        out += store.construct(_CONTEXT_QUERY % values)
    return out


# --- turning engine output into Results -----------------------------------------------------


def _display(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _named_shape(shapes: Graph, shape: Node | None) -> Node | None:
    """Walk sh:property upwards to the nearest shape with an IRI (what a steward can look up)."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(iter(shapes.subjects(SH.property, shape)), None)
        if parent is None:
            break
        shape = parent
    return shape


def render_path(g: Graph, path: Node) -> str:
    """A SHACL path node as SPARQL property path syntax (a bare IRI for a predicate)."""
    if isinstance(path, URIRef):
        return str(path)

    def sub(node: Node) -> str:
        return f"<{node}>" if isinstance(node, URIRef) else f"({render_path(g, node)})"

    if (path, RDF.first, None) in g:
        return "/".join(sub(n) for n in Collection(g, path))
    for pred, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(path, pred)
        if inner is not None:
            return fmt.format(sub(inner))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "|".join(sub(n) for n in Collection(g, alt))
    return f"_:{path}"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _default_message(component: str) -> str:
    return DEFAULT_MESSAGES.get(
        component, f"{component.removesuffix('ConstraintComponent')} failed"
    )


def _result_from_graph(report: Graph, node: Node, shapes: Graph) -> Result:
    source = report.value(node, SH.sourceShape)
    constraint = report.value(node, SH.sourceConstraint)
    component = _local(str(report.value(node, SH.sourceConstraintComponent) or ""))
    own = any(shapes.objects(source, SH.message)) or (
        constraint is not None and any(shapes.objects(constraint, SH.message))
    )
    message = report.value(node, SH.resultMessage) if own else None
    path = report.value(node, SH.resultPath)
    # pyshacl copies a path's structure into the report; fall back to the shapes graph.
    path_graph = report if (path, None, None) in report else shapes
    return Result(
        focus=_display(report.value(node, SH.focusNode)) or "",
        path=None if path is None else render_path(path_graph, path),
        value=_display(report.value(node, SH.value)),
        message=str(message) if message is not None else _default_message(component),
        severity=_local(str(report.value(node, SH.resultSeverity))),
        shape=_display(_named_shape(shapes, source)),
        component=component,
    )


def _strip_nt(term: str | None) -> str | None:
    """`<iri>` → iri; any other N-Triples term (blank, literal) as the engine gave it."""
    if term is not None and term.startswith("<") and term.endswith(">") and ">" not in term[1:-1]:
        return term[1:-1]
    return term


def _result_from_fast(r: Any, shapes: Graph) -> Result:
    value = r.value
    if value is not None and not value.startswith("_:"):
        value = r.value_plain
    path = _strip_nt(r.path)
    return Result(
        focus=_strip_nt(r.focus_node) or "",
        path=path,
        value=value,
        message=r.message if r.message else _default_message(r.component),
        severity=r.severity,
        shape=_strip_nt(r.root_shape),
        component=r.component,
    )


def _filter_report(g: Graph, kept: Callable[[str], bool]) -> Graph:
    """Drop the results whose focus node is not kept, with everything only they point at."""
    for report in list(g.subjects(RDF.type, SH.ValidationReport)):
        for res in list(g.objects(report, SH.result)):
            if kept(_display(g.value(res, SH.focusNode)) or ""):
                continue
            g.remove((report, SH.result, res))
            stack = [res]
            while stack:
                node = stack.pop()
                for _, _, o in list(g.triples((node, None, None))):
                    if isinstance(o, BNode):
                        stack.append(o)
                g.remove((node, None, None))
    return g
