"""Names a user types → identifiers: thematic areas (SKOS scheme) and States (ISO 3166).

The API needs this to turn `?area=Universalisation` or `?state=UK` into the IRIs the named
queries take. It reads the same data the loaders read (the ontology's SKOS scheme, pycountry,
and the alias tables in loaders/data/) without importing loader code, so api/ stays apart from
loaders/. A name that does not resolve is None: the caller decides what to tell the user.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import pycountry
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from ccmkg.resources import ontology_file

CCM = "https://ccm-kg.org/ontology#"
THEMATIC_AREA = URIRef(CCM + "ThematicArea")


def fold(text: str) -> str:
    """Lower case, accents stripped, runs of anything but letters and digits made one space.

    Used wherever a user's spelling is compared with a stored one ("Masméjan" = "masmejan").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", plain.casefold()).strip()


def squash(text: str) -> str:
    """`fold` without the spaces: the form the persons query compares name keys in."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Area:
    iri: str
    slug: str
    label: str


class AreaIndex:
    """The thematic areas of the SKOS scheme, found by slug or by any label, case-insensitive."""

    def __init__(self, areas: list[Area], names: dict[str, Area]) -> None:
        self.areas = areas
        self._names = names

    @classmethod
    def from_graph(cls, graph: Graph) -> AreaIndex:
        areas: list[Area] = []
        names: dict[str, Area] = {}
        for concept in sorted(set(graph.subjects(predicate=None, object=THEMATIC_AREA)), key=str):
            slug = str(graph.value(concept, SKOS.notation) or "")
            label = str(graph.value(concept, SKOS.prefLabel) or slug)
            if not slug:
                continue
            area = Area(str(concept), slug, label)
            areas.append(area)
            labels = [slug, label, str(concept).rsplit("#", 1)[-1]]
            labels += [
                str(lit) for p in (SKOS.altLabel, RDFS.label) for lit in graph.objects(concept, p)
            ]
            for name in labels:
                names.setdefault(fold(name), area)
        areas.sort(key=lambda a: a.slug)
        return cls(areas, names)

    @property
    def slugs(self) -> list[str]:
        return [a.slug for a in self.areas]

    def resolve(self, text: str) -> Area | None:
        return self._names.get(fold(text))

    def by_iri(self, iri: str) -> Area | None:
        return next((a for a in self.areas if a.iri == iri), None)


@cache
def area_index() -> AreaIndex:
    """The areas of the bundled ontology (parsed once per process)."""
    graph = Graph()
    graph.parse(ontology_file(), format="turtle")
    return AreaIndex.from_graph(graph)


def _alias_files() -> list[Path]:
    try:
        data = Path(str(files("ccmkg.loaders") / "data"))
    except (ModuleNotFoundError, TypeError):
        return []
    return sorted(data.glob("*.csv")) if data.is_dir() else []


def _alias_rows(paths: Iterable[Path]) -> Iterable[tuple[str, str]]:
    """(alias, ISO3) pairs from any gazetteer CSV that has an iso3 column and a name column."""
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(row for row in handle if not row.startswith("#"))
            fields = {f.strip().lower(): f for f in reader.fieldnames or []}
            code = fields.get("iso3") or fields.get("alpha_3") or fields.get("alpha3")
            names = [fields[f] for f in ("alias", "name", "label") if f in fields]
            if not code or not names:
                continue
            for row in reader:
                iso3 = (row.get(code) or "").strip().upper()
                for column in names:
                    alias = (row.get(column) or "").strip()
                    if len(iso3) == 3 and alias:
                        yield alias, iso3


class StateIndex:
    """ISO alpha-3, alpha-2, every pycountry name, and the gazetteer aliases → ISO alpha-3."""

    def __init__(self, aliases: Iterable[tuple[str, str]] = ()) -> None:
        self._names: dict[str, str] = {}
        for country in pycountry.countries:
            iso3 = country.alpha_3
            for attr in ("alpha_3", "alpha_2", "name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    self._names.setdefault(fold(value), iso3)
        for alias, iso3 in aliases:
            self._names.setdefault(fold(alias), iso3)

    def resolve(self, text: str) -> str | None:
        return self._names.get(fold(text))

    def label(self, iso3: str) -> str:
        country = pycountry.countries.get(alpha_3=iso3)
        return str(getattr(country, "common_name", None) or country.name) if country else iso3


@cache
def state_index() -> StateIndex:
    return StateIndex(_alias_rows(_alias_files()))
