"""Small HTML pages for people: an entity with its facts and sources, and the SHACL shapes.

Every piece of text from the graph goes through `html.escape`: the corpus is PDF-converted
text full of `<`, `&` and stray tags, and quotes must show as written, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SH, SKOS
from rdflib.term import Node

from ccmkg.export import PREFIXES

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,.iri{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.3rem;
vertical-align:top;text-align:left}blockquote{margin:.3rem 0 .3rem 1rem;color:#444;
border-left:3px solid #ccc;padding-left:.6rem;white-space:pre-wrap}.muted{color:#777}
"""

_LABELS = (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title)


def curie(iri: str) -> str:
    """A prefixed name where a known prefix fits, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def label_of(graph: Graph, node: Node) -> str | None:
    for prop in _LABELS:
        for value in graph.objects(node, prop):  # type: ignore[arg-type]
            return str(value)
    return None


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


# Only these schemes become links: an ingested `javascript:` or `data:` IRI must never be one.
LINK_SCHEMES = ("http://", "https://")


def link(iri: str, base_iri: str, text: str | None = None) -> str:
    """A link to an IRI; one under our base IRI points at this server, so browsing works.

    An IRI of any other scheme than http(s) is shown as text, not as a link.
    """
    if iri.startswith(base_iri):
        href = "/" + iri[len(base_iri) :]
    elif iri.lower().startswith(LINK_SCHEMES):
        href = iri
    else:
        return f"<span class='iri'>{escape(text or curie(iri))}</span>"
    return f"<a href='{escape(href)}' class='iri'>{escape(text or curie(iri))}</a>"


def term_html(term: Node, base_iri: str) -> str:
    if isinstance(term, URIRef):
        return link(str(term), base_iri)
    if isinstance(term, Literal):
        suffix = f"@{term.language}" if term.language else ""
        if term.datatype is not None and not str(term.datatype).endswith("#string"):
            suffix = f" <span class='muted'>({escape(curie(str(term.datatype)))})</span>"
        return f"{escape(str(term))}{suffix}"
    return f"<span class='muted'>_:{escape(str(term))}</span>"


@dataclass
class Source:
    """A passage cited for a fact: where it is and what it says."""

    passage: str
    document: str | None = None
    title: str | None = None
    date: str | None = None
    section: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class FactRow:
    """A fact pointing at the entity (a holding, an attendance…), with its sources."""

    iri: str
    relation: str
    types: set[str] = field(default_factory=set)
    sources: dict[str, Source] = field(default_factory=dict)

    @property
    def date(self) -> str:
        dates = [s.date for s in self.sources.values() if s.date]
        return min(dates) if dates else ""


def sources_html(sources: Iterable[Source], base_iri: str) -> str:
    items = []
    for s in sources:
        where = ", ".join(
            x
            for x in (
                link(s.document, base_iri, s.title or None) if s.document else "",
                escape(s.date or ""),
                f"section {escape(s.section)}" if s.section else "",
                f"characters {s.start}–{s.end}" if s.start is not None else "",
            )
            if x
        )
        quote = f"<blockquote>{escape(s.quote)}</blockquote>" if s.quote else ""
        items.append(f"<li>{link(s.passage, base_iri, 'passage')} {where}{quote}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else "<p class='muted'>none</p>"


_WIKIDATA = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[0-9]+)$")


def same_as_html(graph: Graph, node: URIRef) -> str:
    """Links out: the entity's owl:sameAs (its Wikidata item, when known), above its statements."""
    links = []
    for other in sorted(graph.objects(node, OWL.sameAs), key=str):
        iri = str(other)
        if not isinstance(other, URIRef) or not iri.lower().startswith(LINK_SCHEMES):
            continue
        wikidata = _WIKIDATA.match(iri)
        text = f"Wikidata {wikidata.group(1)}" if wikidata else curie(iri)
        links.append(f"<a href='{escape(iri)}' class='same-as' rel='noopener'>{escape(text)}</a>")
    return f"<p>Same as: {', '.join(links)}</p>" if links else ""


def entity_page(
    iri: str,
    graph: Graph,
    facts: list[FactRow],
    own_sources: list[Source],
    base_iri: str,
    truncated: bool,
) -> str:
    """The page of one entity: what it is, what it says, the facts about it, their sources."""
    node = URIRef(iri)
    title = label_of(graph, node) or curie(iri)
    classes = sorted(graph.objects(node, RDF.type), key=str)
    types = ", ".join(term_html(t, base_iri) for t in classes)
    rows = "".join(
        f"<tr><th>{link(str(p), base_iri)}</th><td>{term_html(o, base_iri)}</td></tr>"
        for p, o in sorted(graph.predicate_objects(node))
        if p != RDF.type
    )
    extra = ""
    for sub in sorted({o for o in graph.objects(node) if isinstance(o, URIRef | BNode)}):
        if isinstance(sub, BNode) or str(sub).startswith(iri + "#"):
            inner = "".join(
                f"<tr><th>{link(str(p), base_iri)}</th><td>{term_html(o, base_iri)}</td></tr>"
                for p, o in sorted(graph.predicate_objects(sub))
            )
            extra += f"<h3>{term_html(sub, base_iri)}</h3><table>{inner}</table>"
    timeline = "".join(
        f"<tr><td>{escape(f.date)}</td><td>{link(f.iri, base_iri)}<br>"
        f"<span class='muted'>{escape(', '.join(curie(t) for t in sorted(f.types)))} "
        f"— {escape(curie(f.relation))}</span></td>"
        f"<td>{sources_html(f.sources.values(), base_iri)}</td></tr>"
        for f in sorted(facts, key=lambda f: (f.date, f.iri))
    )
    cut = "<p class='muted'>(list cut at the row limit)</p>" if truncated else ""
    body = (
        f"<h1>{escape(title)}</h1><p class='iri'>{escape(iri)}</p><p>{types}</p>"
        f"{same_as_html(graph, node)}"
        f"<p>Also as <a href='?format=ttl'>Turtle</a> and "
        f"<a href='?format=jsonld'>JSON-LD</a> (or by Accept).</p>"
        f"<h2>Statements</h2><table>{rows}</table>{extra}"
        f"<h2>Sources</h2>{sources_html(own_sources, base_iri)}"
        f"<h2>Facts about it, in date order</h2>{cut}"
        f"<table><tr><th>date</th><th>fact</th><th>sources</th></tr>{timeline}</table>"
    )
    return page(title, body)


def shapes_page(shapes: Graph) -> str:
    """Documentation of the SHACL shapes: each node shape, its target and its constraints."""
    sections = []
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(SH.targetClass, None)
    )
    for shape in sorted(node_shapes, key=str):
        targets = ", ".join(
            escape(curie(str(t)))
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for t in shapes.objects(shape, p)
        )
        rows = []
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            constraints = ", ".join(
                f"{escape(curie(str(p)))} {escape(curie(str(o)))}"
                for p, o in sorted(shapes.predicate_objects(prop))
                if p not in (SH.path, SH.message, SH.name, SH.description)
            )
            message = shapes.value(prop, SH.message) or shapes.value(prop, SH.description)
            rows.append(
                f"<tr><td><code>{escape(curie(str(path)) if path is not None else '?')}</code></td>"
                f"<td>{constraints}</td><td>{escape(str(message or ''))}</td></tr>"
            )
        name = curie(str(shape)) if isinstance(shape, URIRef) else "(anonymous shape)"
        sections.append(
            f"<h2 id='{escape(name)}'>{escape(name)}</h2><p>targets: {targets or '—'}</p>"
            f"<table><tr><th>path</th><th>constraints</th><th>message</th></tr>"
            f"{''.join(sorted(rows))}</table>"
        )
    body = (
        "<h1>CCM Knowledge Graph — SHACL shapes</h1>"
        "<p>The constraints every document's graph must meet before it enters the store. "
        "Also as <a href='?format=ttl'>Turtle</a> and <a href='?format=jsonld'>JSON-LD</a>.</p>"
        + ("".join(sections) or "<p class='muted'>no shapes installed</p>")
    )
    return page("SHACL shapes", body)


def ontology_page_fallback(onto: Graph) -> str:
    """A plain listing of the ontology's terms, used only when pyLODE is not installed."""
    rows = []
    for s in sorted({s for s in onto.subjects() if isinstance(s, URIRef)}, key=str):
        kinds = ", ".join(escape(curie(str(t))) for t in onto.objects(s, RDF.type))
        definition = onto.value(s, SKOS.definition) or onto.value(s, RDFS.comment) or ""
        name = curie(str(s))
        rows.append(
            f"<tr id='{escape(name)}'><td><code>{escape(name)}</code></td><td>{kinds}</td>"
            f"<td>{escape(label_of(onto, s) or '')}</td><td>{escape(str(definition))}</td></tr>"
        )
    body = (
        "<h1>CCM Knowledge Graph ontology</h1><table><tr><th>term</th><th>kind</th>"
        f"<th>label</th><th>definition</th></tr>{''.join(rows)}</table>"
    )
    return page("CCM Knowledge Graph ontology", body)
