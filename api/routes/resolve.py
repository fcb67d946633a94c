"""Resolvable identifiers: GET on an entity's IRI path answers with the entity.

The IRI is the request path under the configured base IRI (`Settings.base_iri`): a
deployment at https://example.org/ serves `{base}id/state/NLD` at /id/state/NLD. We follow
plain content negotiation on the IRI itself (no 303 redirect): HTML for browsers, Turtle or
JSON-LD (or N-Triples) by Accept or `?format=`, always with `Vary: Accept`. Unknown → 404.

The RDF answer is a symmetric concise bounded description: every triple with the entity as
subject or object, plus the triples of its own blank nodes and `#fragment` nodes (a passage's
selectors), so a machine gets what the page shows.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef
from rdflib.term import Node

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.ldpages import FactRow, Source, entity_page
from ccmkg.api.routes.publish import (
    HTML,
    JSONLD,
    NTRIPLES,
    TURTLE,
    choose,
    html_response,
    negotiated,
    rdf_response,
)
from ccmkg.errors import BadParameter, NotFound
from ccmkg.model.namespaces import CCM_NS
from ccmkg.settings import Settings
from ccmkg.store import Store

router = APIRouter(tags=["linked data"])

_PREFIXES = f"""
PREFIX ccm: <{CCM_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

DESCRIBE = (
    _PREFIXES
    + """
CONSTRUCT { ?e ?p ?o . ?s ?q ?e . ?h ?hp ?ho } WHERE {
  { ?e ?p ?o }
  UNION { ?s ?q ?e }
  UNION {
    ?e ?p1 ?h . ?h ?hp ?ho .
    FILTER(isBlank(?h) || STRSTARTS(STR(?h), CONCAT(STR(?e), "#")))
  }
}"""
)

# The source block shared by the two queries below: passage → document, section, quote, span.
_SOURCE = """
  ?passage oa:hasSource ?doc .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?passage ccm:section ?section }
  OPTIONAL { ?passage oa:hasSelector ?qs . ?qs oa:exact ?quote }
  OPTIONAL { ?passage oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }
"""

OWN_SOURCES = (
    _PREFIXES
    + "SELECT ?e ?passage ?doc ?title ?date ?section ?quote ?start ?end WHERE {\n"
    + "  ?e prov:wasDerivedFrom ?passage ."
    + _SOURCE
    + "}"
)

FACTS = (
    _PREFIXES
    + "SELECT ?e ?fact ?rel ?type ?passage ?doc ?title ?date ?section ?quote ?start ?end WHERE {\n"
    + "  ?fact ?rel ?e . FILTER(isIRI(?fact))\n"
    + "  OPTIONAL { ?fact a ?type }\n"
    + "  OPTIONAL { ?fact prov:wasDerivedFrom ?passage ."
    + _SOURCE
    + "  }\n}"
)


def request_iri(request: Request, base_iri: str) -> str:
    """The IRI a request path names: the path (without the app's root path) under the base."""
    path = request.url.path
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return base_iri + path.lstrip("/")


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def _int(value: Node | None) -> int | None:
    try:
        return None if value is None else int(str(value))
    except ValueError:
        return None


def _source(row: dict[str, Node | None]) -> Source:
    return Source(
        passage=str(row["passage"]),
        document=_text(row.get("doc")),
        title=_text(row.get("title")),
        date=_text(row.get("date")),
        section=_text(row.get("section")),
        quote=_text(row.get("quote")),
        start=_int(row.get("start")),
        end=_int(row.get("end")),
    )


@router.get(
    "/id/{path:path}",
    summary="Resolve an entity IRI (HTML, Turtle, JSON-LD)",
    **negotiated([HTML, TURTLE, JSONLD, NTRIPLES], "The entity."),
)
def resolve(
    path: str,
    request: Request,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """The entity named by this IRI: its statements, the facts about it, their sources."""
    media = choose(request, [HTML, TURTLE, JSONLD, NTRIPLES])
    iri = request_iri(request, settings.base_iri)
    bind = {"e": URIRef(iri)}
    try:
        graph: Graph = store.construct(DESCRIBE, bind)
    except BadParameter:  # not even a valid IRI (control characters…): nothing is known
        graph = Graph()
    if len(graph) == 0:
        raise NotFound(
            f"nothing is known about <{iri}>",
            hint="entity IRIs follow the IRI policy in ontology/README.md, e.g. /id/state/NLD",
        )
    if media != HTML:
        return rdf_response(graph, media)

    cap = settings.max_result_rows
    own = [_source(r) for r in store.select(OWN_SOURCES, bind, max_rows=cap).rows]
    facts_rows = store.select(FACTS, bind, max_rows=cap)
    facts: dict[tuple[str, str], FactRow] = {}
    for row in facts_rows.rows:
        key = (str(row["fact"]), str(row["rel"]))
        fact = facts.setdefault(key, FactRow(iri=key[0], relation=key[1]))
        if row.get("type") is not None:
            fact.types.add(str(row["type"]))
        if row.get("passage") is not None:
            source = _source(row)
            fact.sources.setdefault(source.passage, source)
    unique_own = list({s.passage: s for s in own}.values())
    return html_response(
        entity_page(
            iri, graph, list(facts.values()), unique_own, settings.base_iri, facts_rows.truncated
        )
    )
