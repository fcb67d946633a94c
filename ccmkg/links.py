"""Links out: each State `owl:sameAs` its Wikidata item, read from reference/wikidata.csv.

The links are one named graph (`graph/links/wikidata`), replaced whole on each load. Like a
reference source's graph it is self-contained: it holds the ccm:ReferenceSource of every page
the rows were read from (URL, day retrieved, file) and says `<graph> prov:wasDerivedFrom` them.
Only QIDs a source gives are written; a State without a row gets no link (never a guess).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from ccmkg.errors import InputError
from ccmkg.model.iri import IriScheme
from ccmkg.model.resolve import resolver
from ccmkg.model.terms import CCM
from ccmkg.resources import reference_dir
from ccmkg.settings import Settings
from ccmkg.store.base import Store
from ccmkg.validation import package_validator

WIKIDATA_FILE = "wikidata.csv"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA_GRAPH_KEY = "wikidata"
_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class Link:
    """One row: a State (ISO3), its Wikidata item, and the page it was read from."""

    iso3: str
    qid: str
    source_url: str
    retrieved: dt.date
    line: int

    @property
    def item(self) -> URIRef:
        return URIRef(WIKIDATA_ENTITY + self.qid)


def read_links(path: Path | None = None) -> list[Link]:
    """The rows of wikidata.csv, each checked: a known ISO3, a QID, a URL, a day.

    Raises:
        InputError: a row names no known State, a malformed QID, or repeats a State.
    """
    path = path or reference_dir() / WIKIDATA_FILE
    links: list[Link] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            iso3, qid = row["state_iso3"].strip(), row["wikidata_qid"].strip()
            where = f"{path.name}:{line}"
            if iso3 not in resolver().state_labels:
                raise InputError(f"{where}: {iso3!r} is not an ISO 3166-1 alpha-3 code")
            if not _QID.match(qid):
                raise InputError(f"{where}: {qid!r} is not a Wikidata item id (Q…)")
            if iso3 in seen:
                raise InputError(f"{where}: {iso3} has a second row")
            if not row["source_url"].startswith(("http://", "https://")):
                raise InputError(f"{where}: the source_url is not a web address")
            seen.add(iso3)
            links.append(
                Link(iso3, qid, row["source_url"].strip(),
                     dt.date.fromisoformat(row["retrieved"].strip()), line)
            )  # fmt: skip
    return links


def links_graph(links: list[Link], base_iri: str) -> tuple[str, Graph]:
    """(graph IRI, graph): `state owl:sameAs item` for each link, with its sources."""
    scheme = IriScheme(base_iri)
    name = str(scheme.mint("links-graph", key=WIKIDATA_GRAPH_KEY))
    graph = Graph()
    graph.bind("owl", OWL)
    graph.bind("prov", PROV)
    for link in links:
        graph.add((scheme.mint("state", key=link.iso3), OWL.sameAs, link.item))
        source = scheme.mint("source", key=hashlib.sha1(link.source_url.encode()).hexdigest()[:16])
        graph.add((source, RDF.type, CCM.ReferenceSource))
        graph.add((source, CCM.sourceURL, Literal(link.source_url, datatype=XSD.anyURI)))
        graph.add((source, CCM.retrievedOn, Literal(link.retrieved.isoformat(), datatype=XSD.date)))
        graph.add((source, CCM.referenceFile, Literal(WIKIDATA_FILE)))
        graph.add((URIRef(name), PROV.wasDerivedFrom, source))
    return name, graph


def load_links(store: Store, settings: Settings, path: Path | None = None) -> int:
    """Replace the links graph with what the file says, once it conforms to the shapes (as
    every reference graph must); the number of links written.

    Raises:
        InputError: a bad row, or a graph that breaks a shape (then nothing is written).
    """
    links = read_links(path)
    name, graph = links_graph(links, settings.base_iri)
    report = package_validator().validate(graph)
    if not report.conforms:
        broken = [r.message for r in report.results if r.severity == "Violation"][:5]
        raise InputError(f"the links graph breaks the shapes: {broken}")
    store.replace_graphs({name: graph})
    return len(links)
