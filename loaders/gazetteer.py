"""Names in running text → identities, for the loaders.

Resolution itself lives in `ccmkg.model` (one resolver for the loaders, the REST parameters,
the named queries and the CLI); this module adds what only reading text needs: search
patterns over the resolver's written forms, and person-name helpers. Every resolution says
why it succeeded; a name that does not resolve is never guessed (`None`, or an ActorRef with
`resolved=False` for the review list).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ccmkg.loaders.records import ActorKind, ActorRef, PersonRef
from ccmkg.model.names import fold as norm
from ccmkg.model.names import person_key, slug, split_honorific
from ccmkg.model.resolve import data_dir, resolver
from ccmkg.model.vocab import vocabulary

DATA_DIR = data_dir()
MEMO_SIZE = 4096  # texts whose search results are kept (a few documents' sentences)
__all__ = ["norm", "person_key", "slug", "split_honorific"]


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
        # a straight or typographic apostrophe, whichever the table or the text has
        words = (re.sub(r"['’]", "['’]", re.escape(w)) for w in n.split())
        parts.append(r"\s+".join(words))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", flags)


class Gazetteer:
    """The resolver's tables as search patterns over running text; build once: `gazetteer()`."""

    def __init__(self) -> None:
        names = resolver()
        self._resolver = names
        self.state_labels = names.state_labels
        self.org_labels = names.org_labels
        areas = vocabulary().areas
        self.area_labels = {a.slug: a.label for a in areas}
        written_areas = [spelling for a in areas for spelling in (a.label, *a.aliases)]
        self.state_rx = _name_rx(names.state_forms, ignore_case=False)
        self.adj_rx = _name_rx(names.adjective_forms, ignore_case=False)
        self.org_rx = _name_rx(names.org_forms, ignore_case=False)
        self.area_rx = _name_rx(written_areas, ignore_case=True)
        self._found: dict[tuple[str, str], tuple[Match, ...]] = {}

    # --- resolution -----------------------------------------------------------------------

    def state(self, name: str) -> tuple[str, str] | None:
        """(ISO3, reason) for a State name as written, or None."""
        return self._resolver.state(name)

    def org(self, name: str) -> str | None:
        """The acronym of an organisation name as written, or None."""
        return self._resolver.organization(name)

    def area(self, label: str) -> str | None:
        """The thematic-area notation (slug) for a label as written, or None."""
        area = vocabulary().areas.resolve(label)
        return area.slug if area else None

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
        return list(self._memo("state", text, self._find_states))

    def find_adjectives(self, text: str) -> list[Match]:
        return list(self._memo("state-adjective", text, self._find_adjectives))

    def find_orgs(self, text: str) -> list[Match]:
        return list(self._memo("organization", text, self._find_orgs))

    def _memo(self, kind: str, text: str, find: Callable[[str], list[Match]]) -> tuple[Match, ...]:
        """The readers search the same sentences many times (12× on the corpus): each search
        runs once per text, its answer kept (bounded; Match is immutable)."""
        key = (kind, text)
        hit = self._found.get(key)
        if hit is None:
            if len(self._found) >= MEMO_SIZE:
                self._found.clear()
            hit = self._found[key] = tuple(find(text))
        return hit

    def _find_states(self, text: str) -> list[Match]:
        out = []
        for m in self.state_rx.finditer(text):
            hit = self.state(m.group(0))
            if hit:
                out.append(Match(m.start(), m.end(), hit[0], m.group(0), "state"))
        return out

    def _find_adjectives(self, text: str) -> list[Match]:
        out = []
        for m in self.adj_rx.finditer(text):
            iso = self._resolver.state_adjective(m.group(0))
            if iso:
                out.append(Match(m.start(), m.end(), iso, m.group(0), "state-adjective"))
        return out

    def _find_orgs(self, text: str) -> list[Match]:
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
        return list(self._memo("area", text, self._find_areas))

    def _find_areas(self, text: str) -> list[Match]:
        out = []
        for m in self.area_rx.finditer(text):
            n = self.area(m.group(0))
            if n:
                out.append(Match(m.start(), m.end(), n, m.group(0), "area"))
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared, read-only gazetteer (built once per process)."""
    return Gazetteer()


# --- persons --------------------------------------------------------------------------------


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
