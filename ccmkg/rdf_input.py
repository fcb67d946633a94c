"""Safe parsing of RDF that someone else wrote: uploads, files handed to the CLI.

The guarantees, each with a test:
- the input is bytes we already hold; it is never handed to a library as a string that
  could be read as a path or URL (pyshacl, rdflib and pyrudof all do that with short strings);
- nothing is fetched: the parser is pyoxigraph, whose JSON-LD reader refuses remote
  `@context`/`@import` unless a loader is installed (we install none), which never follows
  `owl:imports`, and whose formats have no external entities (RDF/XML is not accepted);
- relative IRIs are refused rather than resolved against our own base IRI, so an upload
  cannot mint identifiers in our namespace by accident;
- a parse that runs past its deadline stops with an InputError (checked between triples,
  so no worker thread is left running), and one past `max_triples` with a 413;
- what crashes pyoxigraph's recursive parsers (a segmentation fault, which kills the whole
  process) is refused before they see it: JSON nested too deeply, a JSON-LD @context whose
  terms are defined through long chains of other terms, and RDF 1.2 triple terms `<< … >>`
  (which we do not store anyway). The server also parses in a process of its own
  (ccmkg.ingest.check_upload), so what these scans miss still cannot take it down;
- a syntax error names the source, the line and the column the parser reported.

The result is an rdflib Graph (what pyshacl and the store port take) plus the same triples as
N-Triples (what the fast validator takes), both built from one parse.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ccmkg.errors import InputError, PayloadTooLarge, UnsupportedMediaType, UploadTooLarge

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CHECK_EVERY = 2_000  # triples between two deadline checks
# pyoxigraph's JSON-LD parser recurses per nesting level and overflows the stack (a
# segmentation fault that kills the whole server) between 3,000 and 4,000 levels.
MAX_JSON_DEPTH = 1_000
# pyoxigraph expands a term defined through another term recursively: 30,000 terms, each
# defined through the previous one, overflow its stack. Real contexts chain two or three.
MAX_CONTEXT_CHAIN = 64
# Turtle-family tokens that may hold `<<` without it being a triple term; then `<<` itself.
_TURTLE_SKIP = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb'|<[^<>"{}|^`\\\x00-\x20]*>'
    rb"|\#[^\n\r]*"
    rb"|<<",
    re.DOTALL,
)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
# pyoxigraph prefixes its messages with the position, which RdfSyntaxError states itself.
_POSITION = re.compile(r"^Parser error (at|between) line [^:]*: ")


@dataclass(frozen=True)
class RdfFormat:
    """One accepted syntax: its canonical media type and the pyoxigraph parser for it."""

    name: str
    media_type: str
    parser: ox.RdfFormat


TURTLE = RdfFormat("turtle", "text/turtle", ox.RdfFormat.TURTLE)
NTRIPLES = RdfFormat("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES)
NQUADS = RdfFormat("nquads", "application/n-quads", ox.RdfFormat.N_QUADS)
TRIG = RdfFormat("trig", "application/trig", ox.RdfFormat.TRIG)
JSONLD = RdfFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD)

FORMATS: dict[str, RdfFormat] = {f.name: f for f in (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD)}

MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": TURTLE,
    "application/x-turtle": TURTLE,
    "application/n-triples": NTRIPLES,
    "application/n-quads": NQUADS,
    "application/trig": TRIG,
    "application/ld+json": JSONLD,
}

EXTENSIONS: dict[str, RdfFormat] = {
    ".ttl": TURTLE,
    ".turtle": TURTLE,
    ".nt": NTRIPLES,
    ".nq": NQUADS,
    ".trig": TRIG,
    ".jsonld": JSONLD,
    ".json": JSONLD,
}


class RdfSyntaxError(InputError):
    """The input is not valid RDF in the stated syntax; line and column as the parser said."""

    code = "rdf-syntax"

    def __init__(self, source: str, detail: str, line: int | None, column: int | None) -> None:
        where = f"line {line}, column {column}" if line is not None else "unknown position"
        super().__init__(
            f"{source}: not valid RDF at {where}: {detail}",
            hint="Fix the syntax at that position, or check that the declared format is right.",
        )
        self.source = source
        self.line = line
        self.column = column

    def as_dict(self) -> dict[str, Any]:  # type: ignore[override]
        return {**super().as_dict(), "line": self.line, "column": self.column}


@dataclass
class ParsedRdf:
    """One parse of an input: the triples as an rdflib Graph and as N-Triples text.

    Graph names in N-Quads/TriG are not kept: an input is one graph (an upload becomes one
    named graph of ours), so quads are flattened into their triples.
    """

    graph: Graph
    ntriples: str
    source: str
    format: RdfFormat

    def __len__(self) -> int:
        return len(self.graph)


def format_for_media_type(content_type: str | None) -> RdfFormat:
    """The syntax a Content-Type names, parameters (charset) ignored.

    Raises:
        UnsupportedMediaType: no Content-Type, or one we do not parse.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    fmt = MEDIA_TYPES.get(media)
    if fmt is None:
        raise UnsupportedMediaType(
            f"cannot parse Content-Type {media or '(none)'!r}",
            hint="Send one of: " + ", ".join(sorted(MEDIA_TYPES)),
        )
    return fmt


def format_for_path(path: Path, explicit: str | None = None) -> RdfFormat:
    """The syntax named by `explicit` (a FORMATS key or media type), else by the file extension.

    Raises:
        UnsupportedMediaType: neither names a syntax we parse.
    """
    if explicit:
        fmt = FORMATS.get(explicit.lower()) or MEDIA_TYPES.get(explicit.lower())
        if fmt is None:
            raise UnsupportedMediaType(
                f"unknown format {explicit!r}", hint="Use one of: " + ", ".join(FORMATS)
            )
        return fmt
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedMediaType(
            f"{path}: cannot tell the RDF syntax from the extension {path.suffix!r}",
            hint="Rename the file (" + ", ".join(EXTENSIONS) + ") or pass --format.",
        )
    return fmt


def check_size(size: int, limit: int) -> None:
    """Raises PayloadTooLarge when `size` bytes exceed `limit`."""
    if size > limit:
        raise PayloadTooLarge(
            f"the body is {size} bytes; the limit is {limit} (CCMKG_MAX_UPLOAD_BYTES)",
            hint="Split the data into several uploads.",
        )


def parse_rdf(
    data: bytes,
    fmt: RdfFormat,
    *,
    source: str = "body",
    timeout_s: float | None = None,
    max_bytes: int | None = None,
    base_iri: str | None = None,
    max_triples: int | None = None,
) -> ParsedRdf:
    """Parse bytes we hold into a Graph, without touching the network or the file system.

    Raises:
        PayloadTooLarge: `data` is longer than `max_bytes`.
        UploadTooLarge: it holds more than `max_triples` triples.
        RdfSyntaxError: the data is malformed, uses a relative IRI or a remote JSON-LD context.
        InputError: the parse ran past `timeout_s`, uses RDF 1.2 triple terms, or is nested
            (JSON, JSON-LD term definitions) deeper than the parser survives.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_rdf takes bytes, never a str a library might read as a path")
    if max_bytes is not None:
        check_size(len(data), max_bytes)
    if fmt is JSONLD:
        check_json_depth(bytes(data), source)
        check_jsonld_contexts(bytes(data), source)
    else:
        check_no_triple_terms(bytes(data), source)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    triples: list[ox.Triple] = []
    try:
        # base_iri None (the default): relative IRIs are an error, never resolved against ours.
        quads = ox.parse(bytes(data), format=fmt.parser, base_iri=base_iri, rename_blank_nodes=True)
        for i, quad in enumerate(quads):
            if max_triples is not None and i >= max_triples:
                raise UploadTooLarge(
                    f"{source}: more than {max_triples} triples; the limit is {max_triples} "
                    "per upload (CCMKG_MAX_UPLOAD_TRIPLES)",
                    hint="Split the data into several uploads.",
                )
            triples.append(quad.triple)
            if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise InputError(
                    f"{source}: parsing took longer than {timeout_s} s",
                    hint="Split the data into smaller uploads.",
                )
    except SyntaxError as exc:
        raise RdfSyntaxError(source, _syntax_detail(exc), exc.lineno, exc.offset) from None
    graph = to_rdflib(triples, source=source)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else None
    return ParsedRdf(graph=graph, ntriples=(text or b"").decode("utf-8"), source=source, format=fmt)


def parse_file(
    path: Path,
    fmt: RdfFormat | None = None,
    *,
    timeout_s: float | None = None,
    max_bytes: int | None = None,
    base_iri: str | None = None,
) -> ParsedRdf:
    """Read a local file as bytes and parse it (format from `fmt` or the extension).

    Raises:
        InputError: the file cannot be read; see also parse_rdf.
    """
    fmt = fmt or format_for_path(path)
    try:
        if max_bytes is not None:
            check_size(path.stat().st_size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_rdf(
        data, fmt, source=str(path), timeout_s=timeout_s, max_bytes=max_bytes, base_iri=base_iri
    )


def check_json_depth(data: bytes, source: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before any parser recurses into it.

    Raises:
        InputError: too deep.
    """
    if data.count(b"{") + data.count(b"[") <= MAX_JSON_DEPTH:
        return  # cannot be that deep: skip the scan
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b'""', data))
    depth = deepest = 0
    for ch in brackets:
        depth += 1 if ch in b"[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_JSON_DEPTH:
        raise InputError(
            f"{source}: JSON nested {deepest} levels deep; the limit is {MAX_JSON_DEPTH}",
            hint="Flatten the document: give nested nodes an @id and list them at the top.",
        )


def check_no_triple_terms(data: bytes, source: str) -> None:
    """Refuse RDF 1.2 triple terms (`<< … >>`) in Turtle, TriG, N-Triples or N-Quads.

    We do not store them (the store and SHACL lack them), and pyoxigraph parses them
    recursively: 20,000 nested ones overflow its stack. `<<` inside a string, an IRI or a
    comment is not a triple term.

    Raises:
        InputError: a triple term is used.
    """
    if b"<<" not in data:
        return
    for m in _TURTLE_SKIP.finditer(data):
        if m.group() == b"<<":
            line = data.count(b"\n", 0, m.start()) + 1
            raise InputError(
                f"{source}: line {line}: RDF 1.2 triple terms (<< … >>) are not supported",
                hint="Give the statement a node of its own and describe that node with plain "
                "triples.",
            )


def check_jsonld_contexts(data: bytes, source: str) -> None:
    """Refuse a JSON-LD @context whose terms are defined through long chains of other terms.

    `{"t1": "t0:a", "t2": "t1:a", …}` makes pyoxigraph expand t2 through t1, t0…
    recursively; 30,000 links overflow its stack. Run after check_json_depth (the JSON is
    shallow enough to load).

    Raises:
        InputError: a chain is longer than MAX_CONTEXT_CHAIN.
    """
    if b"@context" not in data:
        return
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return  # not JSON: the parser reports the syntax error with its position
    for context in _contexts(doc):
        longest, term = _longest_chain(context)
        if longest > MAX_CONTEXT_CHAIN:
            raise InputError(
                f"{source}: the JSON-LD @context defines the term {term!r} through a chain of "
                f"{longest} terms; the limit is {MAX_CONTEXT_CHAIN}",
                hint="Define terms by full IRIs, or through a prefix that is itself an IRI.",
            )


def _contexts(doc: Any) -> Iterable[dict[str, Any]]:
    """Every @context object in a JSON document (contexts given as lists are flattened)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, dict):
                            yield ctx
                stack.append(value)


def _longest_chain(context: dict[str, Any]) -> tuple[int, str]:
    """The longest chain of terms defined through other terms of `context`, and its head."""

    def refs(value: Any) -> list[str]:
        targets = (
            [value.get(k) for k in ("@id", "@type", "@reverse")]
            if isinstance(value, dict)
            else [value]
        )
        out = []
        for t in targets:
            if isinstance(t, str) and not t.startswith("@"):
                head = t.split(":", 1)[0]
                if head in context:
                    out.append(head)
        return out

    edges = {term: refs(value) for term, value in context.items() if not term.startswith("@")}
    length: dict[str, int] = {}
    for start in edges:
        if start in length:
            continue
        # Iterative depth-first walk: the chains looked for are the ones too long to recurse.
        path, on_path = [start], {start}
        while path:
            term = path[-1]
            pending = [t for t in edges.get(term, ()) if t not in length and t not in on_path]
            if pending:
                path.append(pending[0])
                on_path.add(pending[0])
                continue
            path.pop()
            on_path.discard(term)
            length[term] = 1 + max((length.get(t, 0) for t in edges.get(term, ())), default=0)
    if not length:
        return 0, ""
    head = max(length, key=length.__getitem__)
    return length[head], head


def _syntax_detail(exc: SyntaxError) -> str:
    """The parser's message without the position, which we state ourselves."""
    text = _POSITION.sub("", str(exc.msg if exc.msg else exc))
    if "LoadDocumentCallback" in text:
        return "remote JSON-LD contexts are not fetched; inline the @context"
    return text


def ntriples_to_rdflib(text: str) -> Graph:
    """N-Triples we produced → an rdflib Graph, lexical forms kept as written."""
    quads = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return to_rdflib(q.triple for q in quads)


def to_rdflib(triples: Iterable[ox.Triple], *, source: str = "body") -> Graph:
    """pyoxigraph triples → an rdflib Graph; terms are cached because they repeat a lot.

    Raises:
        InputError: a triple holds an RDF 1.2 triple term, which the store and SHACL lack.
    """
    graph = Graph()
    cache: dict[Any, Node] = {}

    def term(t: Any) -> Node:
        hit = cache.get(t)
        if hit is not None:
            return hit
        if isinstance(t, ox.NamedNode):
            out: Node = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            out = BNode(t.value)
        elif isinstance(t, ox.Literal):
            if t.language:
                out = Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                out = Literal(t.value)
            else:
                # normalize=False: "+01"^^xsd:integer stays as written ("loses nothing").
                out = Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)
        else:
            raise InputError(f"{source}: RDF 1.2 triple terms are not supported")
        cache[t] = out
        return out

    add = graph.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))  # type: ignore[arg-type]
    return graph
