"""The VoID/DCAT description of the dataset, computed from the store on each call.

Nothing in it is typed in except the dataset's title and the rights note: counts, classes,
named graphs, vocabularies, source documents and the last-modified date are all read from the
store, so the description cannot drift from the data. The description graph itself (which a
re-loaded dump contains) is left out of every figure, so describing a store that was loaded
from a dump gives the same description as describing the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL

from ccmkg.model.iri import IriScheme
from ccmkg.model.namespaces import CCM_NS
from ccmkg.model.terms import CCM
from ccmkg.model.vocab import ontology_graph
from ccmkg.store import Store

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

TITLE = "CCM Knowledge Graph"
DESCRIPTION = (
    "Who coordinated what, when, under the Convention on Cluster Munitions: posts, presidencies, "
    "meetings, attendance and obligations read off the public record, every fact linked to the "
    "passage of the document it comes from. One named graph per source document."
)
RIGHTS = (
    "The graph is derived from public documents of the Convention on Cluster Munitions, listed "
    "as dcterms:source; quotations remain under their publishers' terms. The structure and the "
    "ontology are published under the licence given in dcterms:license."
)

# The downloadable distributions: path under the base IRI → media type.
DISTRIBUTIONS: dict[str, str] = {
    "dump.nq": "application/n-quads",
    "dump.trig": "application/trig",
    "dump.jsonld": "application/ld+json",
}

# ?void (the description's own graph) is bound at run time and projected: pyoxigraph only
# substitutes projected variables.
_PREFIXES = f"""
PREFIX ccm: <{CCM_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

_CLASSES = (
    _PREFIXES
    + """
SELECT ?void ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER(?g != ?void)
} GROUP BY ?void ?class"""
)

_DISTINCT = (
    _PREFIXES
    + """
SELECT ?void (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g != ?void)
} GROUP BY ?void"""
)

_PROPERTIES = (
    _PREFIXES
    + """
SELECT DISTINCT ?void ?p WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?void) }"""
)

_DOCUMENTS = (
    _PREFIXES
    + """
SELECT ?void ?g ?doc ?title ?date ?file WHERE {
  GRAPH ?g {
    ?doc a ccm:Document .
    OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc dcterms:date ?date }
    OPTIONAL { ?doc ccm:fileName ?file }
  }
  FILTER(?g != ?void)
}"""
)

_MODIFIED = (
    _PREFIXES
    + """
SELECT ?void (MAX(?t) AS ?modified) WHERE {
  GRAPH ?g { ?x ?p ?t }
  VALUES ?p { prov:generatedAtTime dcterms:modified }
  FILTER(?g != ?void)
} GROUP BY ?void"""
)


@dataclass(frozen=True)
class DatasetIris:
    """The IRIs the description mints, all under the deployment's base IRI."""

    base: str

    @property
    def dataset(self) -> URIRef:
        # Dereferencing the dataset IRI (fragment dropped) returns this description.
        return IriScheme(self.base).mint("dataset")

    @property
    def graph(self) -> URIRef:
        """The named graph that holds the description inside a dump."""
        return IriScheme(self.base).mint("void-graph")


def _namespace_of(iri: str) -> str:
    """The vocabulary namespace of a property IRI: up to the last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    # An IRI with no '/' or '#' after its scheme (urn:x, tag:y) is its own namespace.
    return iri[: cut + 1] if cut > iri.find(":") else iri


def _count(value: object) -> int:
    """An aggregate's value as an int (0 when the store returns none)."""
    return int(str(value)) if value is not None else 0


def _licence() -> URIRef | None:
    """The licence the project publishes under, as stated once in the ontology."""
    onto = ontology_graph()
    for ont in onto.subjects(RDF.type, OWL.Ontology):
        for lic in onto.objects(ont, DCTERMS.license):
            if isinstance(lic, URIRef):
                return lic
    return None


def describe(store: Store, base_iri: str) -> Graph:
    """A VoID + DCAT description of everything in `store` except its own description graph.

    Raises:
        StoreError: the store is unreachable.
    """
    iris = DatasetIris(base_iri)
    ds = iris.dataset
    void_g = {"void": iris.graph}
    g = Graph()
    for prefix, ns in {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "ccm": CCM}.items():
        g.bind(prefix, ns)

    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.rights, Literal(RIGHTS, lang="en")))
    licence = _licence()
    if licence is not None:
        g.add((ds, DCTERMS.license, licence))
    g.add((ds, DCAT.landingPage, URIRef(base_iri)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base_iri}sparql")))
    g.add((ds, VOID.uriSpace, Literal(IriScheme(base_iri).base + "id/")))
    for path, media_type in DISTRIBUTIONS.items():
        dist = URIRef(f"{base_iri}{path}")
        g.add((ds, VOID.dataDump, dist))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add(
            (
                dist,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{media_type}"),
            )
        )
        g.add((dist, DCTERMS.format, Literal(media_type)))

    graphs = {iri: n for iri, n in store.graphs().items() if URIRef(iri) != iris.graph}
    g.add((ds, VOID.triples, Literal(sum(graphs.values()))))
    for iri, n in graphs.items():
        sub = URIRef(iri)
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, RDF.type, SD.NamedGraph))
        g.add((sub, VOID.triples, Literal(n)))

    classes = store.select(_CLASSES, void_g).rows
    g.add((ds, VOID.classes, Literal(len(classes))))
    for row in classes:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], row["class"]))  # type: ignore[arg-type]
        g.add((part, VOID.entities, Literal(_count(row["n"]))))

    counts = store.select(_DISTINCT, void_g).rows
    if counts:
        g.add((ds, VOID.distinctSubjects, Literal(_count(counts[0]["subjects"]))))
        g.add((ds, VOID.properties, Literal(_count(counts[0]["properties"]))))
    vocabularies = {_namespace_of(str(r["p"])) for r in store.select(_PROPERTIES, void_g).rows}
    for ns in sorted(vocabularies):
        g.add((ds, VOID.vocabulary, URIRef(ns)))

    for row in store.select(_DOCUMENTS, void_g).rows:
        doc, graph = row["doc"], row["g"]
        g.add((ds, DCTERMS.source, doc))  # type: ignore[arg-type]
        g.add((graph, DCTERMS.source, doc))  # type: ignore[arg-type]
        g.add((doc, RDF.type, FOAF.Document))  # type: ignore[arg-type]
        for key, prop in (("title", DCTERMS.title), ("date", DCTERMS.date), ("file", CCM.fileName)):
            if row.get(key) is not None:
                g.add((doc, prop, row[key]))  # type: ignore[arg-type]

    modified = store.select(_MODIFIED, void_g).rows
    if modified and modified[0].get("modified") is not None:
        value = modified[0]["modified"]
        g.add((ds, DCTERMS.modified, value))  # type: ignore[arg-type]
    return g
