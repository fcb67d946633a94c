"""The ontology's controlled vocabularies, read once: areas, meeting kinds, families, roles…

Each vocabulary is a `Scheme` of `Term`s (IRI, slug = skos:notation, label, aliases). The
slugs are what the REST API, the CLI, the named-query parameters and the loaders' records use;
any label or alias a person may type resolves to the same term. Nothing else keeps a table
of these terms: add one to ontology/ccm.ttl and every layer knows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import ORG, SKOS

from ccmkg.model.names import fold
from ccmkg.model.terms import CCM
from ccmkg.resources import ontology_file


@dataclass(frozen=True)
class Term:
    """One term of a vocabulary: its IRI, slug (skos:notation), label and other spellings."""

    iri: str
    slug: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Scheme:
    """A vocabulary: terms found by slug, label, alias or IRI local name, case-insensitive."""

    name: str
    terms: tuple[Term, ...]
    _names: dict[str, Term] = field(default_factory=dict, repr=False, compare=False)
    _iris: dict[str, Term] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            self._iris.setdefault(term.iri, term)
            for spelling in (term.slug, term.label, term.local_name, *term.aliases):
                self._names.setdefault(fold(spelling), term)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.terms]

    def resolve(self, text: str) -> Term | None:
        """The term a person means by `text` (slug, label, alias, IRI or local name), or None."""
        if text.startswith(("http://", "https://")):
            return self.by_iri(text)
        return self._names.get(fold(text))

    def by_slug(self, slug: str) -> Term:
        """The term with this slug. Raises KeyError: no such slug (a programming error)."""
        for term in self.terms:
            if term.slug == slug:
                return term
        raise KeyError(f"{self.name}: no term with slug {slug!r}; known: {self.slugs}")

    def by_iri(self, iri: str) -> Term | None:
        """The term with this IRI, or None (a lookup: the lists call it for every row)."""
        return self._iris.get(str(iri))

    def iri(self, slug: str) -> URIRef:
        return URIRef(self.by_slug(slug).iri)


@dataclass(frozen=True)
class Vocabulary:
    """Every controlled vocabulary of the ontology the code needs by slug."""

    areas: Scheme
    meeting_kinds: Scheme
    families: Scheme
    formats: Scheme
    roles: Scheme
    event_types: Scheme
    term_kinds: Scheme
    articles: dict[int, str]


@cache
def ontology_graph() -> Graph:
    """The bundled ontology, parsed once per process. Shared: callers must not modify it."""
    return Graph().parse(ontology_file(), format="turtle")


def _term(graph: Graph, node: URIRef) -> Term | None:
    notation = graph.value(node, SKOS.notation)
    if notation is None:
        return None
    label = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label) or notation
    aliases = tuple(
        str(a) for p in (SKOS.altLabel, RDFS.label) for a in graph.objects(node, p) if a != label
    )
    return Term(str(node), str(notation), str(label), aliases)


def _scheme(name: str, graph: Graph, nodes: set[URIRef]) -> Scheme:
    found = (_term(graph, n) for n in nodes if str(n).startswith(str(CCM._NS)))
    return Scheme(name, tuple(sorted((t for t in found if t), key=lambda t: t.slug)))


def _instances(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def _subclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    found = {s for s in graph.subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)}
    return {s for s in found if (s, RDF.type, OWL.Class) in graph}


@cache
def vocabulary() -> Vocabulary:
    """The vocabularies of the bundled ontology (read once per process)."""
    g = ontology_graph()
    articles = {
        int(str(number)): str(article)
        for article in _instances(g, CCM.TreatyArticle)
        if (number := g.value(article, CCM.articleNumber)) is not None
    }
    return Vocabulary(
        areas=_scheme("thematic areas", g, _instances(g, CCM.ThematicArea)),
        meeting_kinds=_scheme("meeting kinds", g, _subclasses(g, CCM.Meeting)),
        families=_scheme("document families", g, _instances(g, CCM.DocumentFamily)),
        formats=_scheme("meeting formats", g, _instances(g, CCM.MeetingFormat)),
        roles=_scheme("roles", g, _instances(g, ORG.Role)),
        event_types=_scheme("obligation event types", g, _instances(g, CCM.ObligationEventType)),
        term_kinds=_scheme("term kinds", g, _instances(g, CCM.TermKind)),
        articles=articles,
    )
