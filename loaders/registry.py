"""Document families as plug-ins: each module of `ccmkg.loaders.families` exports one `FAMILY`.

A Family names itself, its ccm:DocumentFamily individual in ontology/ccm.ttl, how to recognise
it (a detector scoring the head of the clean text) and how to read it (an extractor over a
Ctx). `discover()` finds the modules with pkgutil, so nothing else lists the families: adding
a genre is adding a module (plus its gold file and variants). Detection is deterministic: the
highest score wins; equal scores go to the higher `priority`, then to the name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import URIRef

if TYPE_CHECKING:
    from ccmkg.loaders.readers.context import Ctx

Detector = Callable[[str], int]
Extractor = Callable[["Ctx"], None]
FAMILIES_PACKAGE = "ccmkg.loaders.families"
HEAD_CHARS = 1500


@dataclass(frozen=True)
class Family:
    """A document genre: what it is called, what it is in the ontology, how to find and read it."""

    name: str  # the slug records and reports use, e.g. "working-paper"
    iri: URIRef  # its ccm:DocumentFamily individual (from the closed namespace `ccmkg.model.terms`)
    detect: Detector  # score on the head of the clean text; 0 means "not this family"
    extract: Extractor  # appends records to ctx.ex; never needs to catch its own errors
    priority: int = 0  # breaks ties between equal scores: higher first
    fallback: bool = False  # reads what no family recognises (one per registry, never detected)


class Registry:
    """Families by name, iterated in detection order (priority, then name)."""

    def __init__(self, families: Iterable[Family] = ()) -> None:
        self._by_name: dict[str, Family] = {}
        for family in families:
            self.register(family)

    def register(self, family: Family) -> Family:
        """Add a family; returns it (so a module can register and export in one line).

        Raises:
            ValueError: the name is taken, or a second fallback family is given.
        """
        if family.name in self._by_name:
            raise ValueError(f"document family {family.name!r} is registered twice")
        if family.fallback and any(f.fallback for f in self._by_name.values()):
            raise ValueError(f"{family.name!r}: a registry has one fallback family")
        self._by_name[family.name] = family
        return family

    def __iter__(self) -> Iterator[Family]:
        return iter(sorted(self._by_name.values(), key=lambda f: (-f.priority, f.name)))

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Family:
        """The family of that name.

        Raises:
            KeyError: no such family.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no document family {name!r}; known: {sorted(self._by_name)}") from None

    @property
    def fallback(self) -> Family:
        """The family of documents no detector recognises.

        Raises:
            LookupError: the registry has none.
        """
        for family in self._by_name.values():
            if family.fallback:
                return family
        raise LookupError("the registry has no fallback family")

    def detect(self, clean: str, head_chars: int = HEAD_CHARS) -> Family:
        """The family whose detector scores highest on the head; the fallback if none scores."""
        head = clean[:head_chars]
        best: Family | None = None
        top = 0
        for family in self:
            if family.fallback:
                continue
            score = family.detect(head)
            if score > top:  # strict: on a tie the earlier (higher priority) family stays
                best, top = family, score
        return best if best is not None else self.fallback


def discover(package: str = FAMILIES_PACKAGE) -> Registry:
    """A registry of the `FAMILY` of every module in `package` (modules named `_…` skipped).

    Raises:
        TypeError: a module exports no Family as `FAMILY`.
        ValueError: two modules name the same family, or two are fallbacks.
    """
    pkg = importlib.import_module(package)
    registry = Registry()
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if not isinstance(family, Family):
            raise TypeError(f"{module.__name__} must export FAMILY, a Family")
        registry.register(family)
    return registry


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The families shipped with the package, discovered once."""
    return discover()
