"""Names to identities: States (pycountry + alias data), organisations, thematic areas, persons.

Every resolution returns the reason it succeeded ("pycountry name", "alias table", …). A name
that does not resolve is never guessed: the caller gets `None` (or an ActorRef with
`resolved=False`) and reports it. The tables are data files in loaders/data/, tested row by row.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pycountry
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from ccmkg.loaders.records import ActorKind, ActorRef, PersonRef
from ccmkg.resources import ontology_file

CCM = Namespace("https://ccm-kg.org/ontology#")
DATA_DIR = Path(str(files("ccmkg.loaders") / "data"))

_HONORIFICS = (
    "H.E.",
    "HE",
    "Mr.",
    "Mr",
    "Mrs.",
    "Mrs",
    "Ms.",
    "Ms",
    "Mme",
    "Mme.",
    "M.",
    "Dr.",
    "Dr",
    "Prof.",
    "Amb.",
    "Ambassador",
    "Sr.",
    "Sra.",
    "Col.",
    "Lt.",
    "Gen.",
    "Sir",
    "Dame",
)
_HONORIFIC_RX = re.compile(
    r"^(?P<h>(?:(?:"
    + "|".join(re.escape(h) for h in sorted(_HONORIFICS, key=len, reverse=True))
    + r")(?=[\s.]|$)\.?\s*)+)",
)


def norm(text: str) -> str:
    """Compare-key for names: no accents, case, punctuation, leading article; & = and."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = t.replace("&", " and ").replace("’", "'")
    t = re.sub(r"[^\w\s]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"^the ", "", t)


def slug(text: str) -> str:
    """A URL-safe slug of a name (for unresolved actors and free topics)."""
    return re.sub(r"\s+", "-", norm(text)).strip("-")[:80] or "unnamed"


@dataclass(frozen=True)
class Match:
    """A name found in running text: clean-text span, identity key, and the text as written."""

    start: int
    end: int
    key: str
    written: str
    kind: str  # "state" | "organization" | "area" | "state-adjective"


def _name_rx(names: list[str], *, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for n in sorted(set(names), key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(w) for w in n.split()))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", flags)


class Gazetteer:
    """The loaded tables and their search patterns; build once with `gazetteer()`."""

    def __init__(self) -> None:
        self.states: dict[str, tuple[str, str]] = {}  # norm name -> (iso3, reason)
        self.state_labels: dict[str, str] = {}  # iso3 -> label
        self.adjectives: dict[str, str] = {}  # norm adjective -> iso3
        self.orgs: dict[str, str] = {}  # norm name/alias -> acronym
        self.org_labels: dict[str, str] = {}
        self.areas: dict[str, str] = {}  # norm label -> notation
        self.area_labels: dict[str, str] = {}
        self._load_states()
        self._load_orgs()
        self._load_areas()
        self.state_rx = _name_rx(self._written_states, ignore_case=False)
        self.adj_rx = _name_rx(self._written_adjs, ignore_case=False)
        self.org_rx = _name_rx(self._written_orgs, ignore_case=False)
        self.area_rx = _name_rx(self._written_areas, ignore_case=True)

    def _load_states(self) -> None:
        written: list[str] = []
        for c in pycountry.countries:
            self.state_labels[c.alpha_3] = getattr(c, "common_name", None) or c.name
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if not value:
                    continue
                forms = [value]
                if ", " in value:  # "Korea, Republic of" -> also "Republic of Korea"
                    head, tail = value.split(", ", 1)
                    forms.append(f"{tail} {head}")
                if " (" in value:  # "Holy See (Vatican City State)" -> "Holy See"
                    forms.append(value.split(" (", 1)[0])
                for f in forms:
                    self.states.setdefault(norm(f), (c.alpha_3, f"pycountry {attr}"))
                    written.extend({f, _strip_accents(f)})
        self._written_adjs: list[str] = []
        with open(DATA_DIR / "state_aliases.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["form"] == "adjective":
                    self.adjectives[norm(row["alias"])] = row["iso3"]
                    self._written_adjs.append(row["alias"])
                else:
                    self.states[norm(row["alias"])] = (row["iso3"], "alias table")
                    written.extend({row["alias"], _strip_accents(row["alias"])})
        # Lowercase-initial pycountry forms ("the Netherlands") must not match prose words.
        self._written_states = [w for w in written if w[:1].isupper()]
        for iso3 in ("GBR", "USA", "BOL", "VEN", "IRN", "TZA", "MDA", "KOR", "LAO", "VAT"):
            label = {
                "GBR": "United Kingdom",
                "USA": "United States",
                "BOL": "Bolivia",
                "VEN": "Venezuela",
                "IRN": "Iran",
                "TZA": "Tanzania",
                "MDA": "Moldova",
                "KOR": "Republic of Korea",
                "LAO": "Lao PDR",
                "VAT": "Holy See",
            }[iso3]
            self.state_labels[iso3] = label

    def _load_orgs(self) -> None:
        written: list[str] = []
        with open(DATA_DIR / "organizations.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                acr = row["acronym"]
                self.org_labels[acr] = row["name"]
                names = [acr, row["name"], *[a for a in row["aliases"].split(";") if a]]
                for n in names:
                    self.orgs[norm(n)] = acr
                    written.append(n)
        self._written_orgs = written

    def _load_areas(self) -> None:
        g = Graph()
        g.parse(ontology_file(), format="turtle")
        written: list[str] = []
        for area in g.subjects(RDF.type, CCM.ThematicArea):
            notation = str(g.value(area, SKOS.notation))
            pref = g.value(area, SKOS.prefLabel)
            self.area_labels[notation] = str(pref)
            for label in [pref, *g.objects(area, SKOS.altLabel)]:
                if label is None:
                    continue
                self.areas[norm(str(label))] = notation
                written.append(str(label))
        self._written_areas = written

    # --- resolution -----------------------------------------------------------------------

    def state(self, name: str) -> tuple[str, str] | None:
        """(ISO3, reason) for a State name as written, or None."""
        hit = self.states.get(norm(name))
        return hit

    def org(self, name: str) -> str | None:
        """The acronym of an organisation name as written, or None."""
        return self.orgs.get(norm(name))

    def area(self, label: str) -> str | None:
        """The thematic-area notation (slug) for a label as written, or None."""
        return self.areas.get(norm(label))

    def actor(self, name: str) -> ActorRef | None:
        """Resolve a State or organisation name; None when neither table knows it."""
        name = name.strip()
        hit = self.state(name)
        if hit:
            return ActorRef("state", hit[0], name, self.state_labels.get(hit[0], name))
        acr = self.org(name)
        if acr:
            return ActorRef("organization", acr, name, self.org_labels[acr])
        return None

    def unresolved(self, name: str, kind: str = "organization") -> ActorRef:
        """An actor flagged for review: a slug key, `resolved=False` (never a guess).

        The key is the bare slug; the emitter mints `x-{slug}` IRIs for unresolved actors.
        """
        k: ActorKind = "state" if kind == "state" else "organization"
        return ActorRef(k, slug(name), name.strip(), name.strip(), resolved=False)

    # --- search in running text -----------------------------------------------------------

    def find_states(self, text: str) -> list[Match]:
        out = []
        for m in self.state_rx.finditer(text):
            hit = self.state(m.group(0))
            if hit:
                out.append(Match(m.start(), m.end(), hit[0], m.group(0), "state"))
        return out

    def find_adjectives(self, text: str) -> list[Match]:
        out = []
        for m in self.adj_rx.finditer(text):
            iso = self.adjectives.get(norm(m.group(0)))
            if iso:
                out.append(Match(m.start(), m.end(), iso, m.group(0), "state-adjective"))
        return out

    def find_orgs(self, text: str) -> list[Match]:
        out = []
        for m in self.org_rx.finditer(text):
            acr = self.org(m.group(0))
            if acr:
                out.append(Match(m.start(), m.end(), acr, m.group(0), "organization"))
        return out

    def find_actors(self, text: str) -> list[Match]:
        """States and organisations in text order; overlapping hits keep the longer one."""
        hits = sorted(
            self.find_states(text) + self.find_orgs(text), key=lambda m: (m.start, -m.end)
        )
        out: list[Match] = []
        for h in hits:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out

    def find_areas(self, text: str) -> list[Match]:
        out = []
        for m in self.area_rx.finditer(text):
            n = self.area(m.group(0))
            if n:
                out.append(Match(m.start(), m.end(), n, m.group(0), "area"))
        return out


def _strip_accents(s: str) -> str:
    t = unicodedata.normalize("NFKD", s)
    return "".join(c for c in t if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared, read-only gazetteer (built once per process)."""
    return Gazetteer()


# --- persons --------------------------------------------------------------------------------


def split_honorific(written: str) -> tuple[str | None, str]:
    """('H.E. Mr.', 'Abdul-Karim Hashim Mostafa') from the name as written."""
    w = " ".join(written.split())
    m = _HONORIFIC_RX.match(w)
    if not m or not m.group("h").strip():
        return None, w
    hon = " ".join(m.group("h").split())
    return hon, w[m.end() :].strip()


def person_key(name: str) -> str:
    """Normalised key: no honorific, case, accents, punctuation; initials kept as letters.

    "H.E. Anna Maria van der Berg" and "Ambassador Anna Maria Van der Berg" share a key.
    """
    _, bare = split_honorific(name)
    return re.sub(r"\s+", "-", norm(bare)) or "unnamed"


def person(written: str) -> PersonRef:
    """A PersonRef for a name as written (honorific split off, key normalised)."""
    hon, bare = split_honorific(written)
    return PersonRef(written.strip(), bare, person_key(bare), hon)


def looks_like_person(text: str) -> bool:
    """True when a line starts with an honorific and has a name after it."""
    hon, bare = split_honorific(text)
    return bool(hon) and bool(bare) and bare[:1].isupper()


class PersonIndex:
    """Resolve person names across documents: exact key first, then initials, with the reason.

    Used by the pipeline to keep one node per person with every spelling: ("exact key"),
    ("initials": "J. K. Doe" ~ "Jane K. Doe"). Near spellings are *reported* as
    candidates, never merged silently.
    """

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}  # key -> canonical key

    def add(self, key: str) -> None:
        self.keys.setdefault(key, key)

    def resolve(self, name: str) -> tuple[str, str]:
        """(key, reason) for a name; reason is "exact", "initials" or "new"."""
        key = person_key(name)
        if key in self.keys:
            return self.keys[key], "exact"
        parts = key.split("-")
        for known in self.keys:
            kp = known.split("-")
            if (
                len(kp) == len(parts)
                and kp[-1] == parts[-1]
                and all(
                    a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
                    for a, b in zip(kp, parts, strict=True)
                )
            ):
                return known, "initials"
        self.add(key)
        return key, "new"

    def near(self, name: str, cutoff: float = 0.85) -> list[str]:
        """Known keys spelled close to `name` (for review, not for merging)."""
        import difflib

        return difflib.get_close_matches(person_key(name), list(self.keys), n=3, cutoff=cutoff)
