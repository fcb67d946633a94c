"""Names → identities: the one alias-aware resolver of States and organisations.

Used by the loaders (names in documents), the REST parameters (`state=UK`), the named-query
parameters and the CLI, so a spelling accepted in one place is accepted everywhere. Sources:
pycountry's names, the alias and demonym tables in `ccmkg/model/data/` (data files, tested row
by row),
and, for codes a person types, ISO alpha-2/alpha-3. A name that does not resolve is None:
never a guess; the caller reports it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import pycountry

from ccmkg.model.names import fold, strip_accents


def data_dir() -> Path:
    """The folder of the gazetteer tables (package data of ccmkg.model)."""
    return Path(str(files("ccmkg.model") / "data"))


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


@dataclass(frozen=True)
class Resolved:
    """An actor a name resolved to: kind, key (ISO3 or acronym), label, and why."""

    kind: str  # "state" | "organization"
    key: str
    label: str
    reason: str


class Resolver:
    """The tables, built once (`resolver()`); plus the written forms the loaders search for."""

    def __init__(self) -> None:
        self._states: dict[str, tuple[str, str]] = {}  # folded name -> (iso3, reason)
        self._codes: dict[str, str] = {}  # folded ISO alpha-2 / alpha-3 -> iso3
        self._adjectives: dict[str, str] = {}  # folded adjective -> iso3
        self._orgs: dict[str, str] = {}  # folded name or alias -> acronym
        self.state_labels: dict[str, str] = {}
        self.org_labels: dict[str, str] = {}
        self.org_kinds: dict[str, str] = {}
        self.state_forms: list[str] = []  # names as written, for searching running text
        self.adjective_forms: list[str] = []
        self.org_forms: list[str] = []
        self._load_states()
        self._load_orgs()

    def _add_state(self, written: str, iso3: str, reason: str, *, override: bool = False) -> None:
        key = fold(written)
        if override or key not in self._states:
            self._states[key] = (iso3, reason)
        self.state_forms.extend({written, strip_accents(written)})

    def _load_states(self) -> None:
        for country in pycountry.countries:
            iso3 = country.alpha_3
            self.state_labels[iso3] = getattr(country, "common_name", None) or country.name
            self._codes[fold(iso3)] = iso3
            self._codes[fold(country.alpha_2)] = iso3
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if not value:
                    continue
                self._add_state(value, iso3, f"pycountry {attr}")
                if ", " in value:  # "Korea, Republic of" -> also "Republic of Korea"
                    head, tail = value.split(", ", 1)
                    self._add_state(f"{tail} {head}", iso3, f"pycountry {attr}")
                if " (" in value:  # "Holy See (Vatican City State)" -> also "Holy See"
                    self._add_state(value.split(" (", 1)[0], iso3, f"pycountry {attr}")
        for row in _rows("state_aliases.csv"):
            if row["form"] == "adjective":
                self._adjectives[fold(row["alias"])] = row["iso3"]
                self.adjective_forms.append(row["alias"])
            else:
                self._add_state(row["alias"], row["iso3"], "alias table", override=True)
        for row in _rows("state_demonyms.csv"):  # "the Zambian presidency"
            self._adjectives[fold(row["demonym"])] = row["iso3"]
            self.adjective_forms.append(row["demonym"])
        for row in _rows("state_labels.csv"):
            self.state_labels[row["iso3"]] = row["label"]
        # Lowercase-initial forms ("the Netherlands") must not match prose words.
        self.state_forms = sorted({f for f in self.state_forms if f[:1].isupper()})

    def _load_orgs(self) -> None:
        for row in _rows("organizations.csv"):
            acronym = row["acronym"]
            self.org_labels[acronym] = row["name"]
            self.org_kinds[acronym] = row["kind"]
            for name in [acronym, row["name"], *filter(None, row["aliases"].split(";"))]:
                self._orgs[fold(name)] = acronym
                self.org_forms.append(name)

    # --- resolution ------------------------------------------------------------------------

    def state(self, name: str, *, codes: bool = False) -> tuple[str, str] | None:
        """(ISO3, reason) for a State name; with `codes`, ISO alpha-2/3 codes too ("zm")."""
        hit = self._states.get(fold(name))
        if hit is None and codes:
            iso3 = self._codes.get(fold(name))
            hit = (iso3, "ISO 3166 code") if iso3 else None
        return hit

    def state_adjective(self, word: str) -> str | None:
        """The ISO3 of a State adjective ("German" -> DEU), or None."""
        return self._adjectives.get(fold(word))

    def organization(self, name: str) -> str | None:
        """The acronym of an organisation's name, alias or acronym, or None."""
        return self._orgs.get(fold(name))

    def actor(self, name: str, *, codes: bool = False) -> Resolved | None:
        """A State or an organisation, whichever table knows the name; None otherwise."""
        hit = self.state(name, codes=codes)
        if hit:
            return Resolved("state", hit[0], self.state_label(hit[0]), hit[1])
        acronym = self.organization(name)
        if acronym:
            return Resolved("organization", acronym, self.org_labels[acronym], "organisation table")
        return None

    def state_label(self, iso3: str) -> str:
        return self.state_labels.get(iso3, iso3)


@cache
def resolver() -> Resolver:
    """The shared, read-only resolver (built once per process)."""
    return Resolver()
