"""Every IRI pattern of the graph, defined once: minted by the loaders and the ingest,
parsed back by the API's routes (`/meetings/{id}`, `/id/...`) and the query parameters.

A pattern is a path under the deployment's base IRI with `{named}` slots. `IriScheme(base)`
mints (`scheme.mint("meeting", key="msp-6")`) and parses (`scheme.parse(iri)` gives the
pattern's name and its slots), so a change of layout happens here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rdflib import URIRef

DEFAULT_BASE_IRI = "https://ccm-kg.org/"

# Entities under id/, graphs under graph/. Order matters for parsing: specific before generic.
PATTERNS: dict[str, str] = {
    "passage": "id/doc/{doc}/passage/{start}-{end}",
    "document": "id/doc/{key}",
    "state": "id/state/{key}",
    "organization": "id/org/{key}",
    "person": "id/person/{key}",
    "meeting": "id/meeting/{key}",
    "body": "id/body/{key}",
    "post": "id/post/{key}",
    "obligation": "id/obligation/{key}",
    "working-group": "id/working-group/{key}",
    "source": "id/source/{key}",
    "rule": "id/rule/{key}",
    "treaty-action": "id/treaty-action/{key}",
    "fact": "id/{kind}/{key}",
    "ontology-graph": "graph/ontology",
    "void-graph": "graph/void",
    "document-graph": "graph/doc/{key}",
    "upload-provenance-graph": "graph/upload/{key}/provenance",
    "upload-graph": "graph/upload/{key}",
    "reference-graph": "graph/reference/{key}",
    "derived-graph": "graph/derived/{key}",
    "links-graph": "graph/links/{key}",
    "dataset": ".well-known/void#dataset",
}
# Slots that may hold '/' (a post is "coordinator/universalization").
_MULTI_SEGMENT = {"post": {"key"}, "obligation": {"key"}, "treaty-action": {"key"}}

# Numbered meetings: record kind (ontology notation) -> the short label, "6MSP", "2RC".
NUMBERED_MEETINGS: dict[str, str] = {"meeting-of-states-parties": "MSP", "review-conference": "RC"}
_SHORT_MEETING = re.compile(
    r"^\s*(\d{1,2})\s*(MSP|RC)(?:\s*-?\s*part\s*-?\s*(\d))?\s*$", re.IGNORECASE
)
# The one body coordinator and presidency posts belong to (org:postIn).
COORDINATION_COMMITTEE = "coordination-committee"


def base_with_slash(base: str) -> str:
    """The base IRI ending in '/' or '#', as every pattern expects."""
    return base if base.endswith(("/", "#")) else base + "/"


def _regex(name: str, pattern: str) -> re.Pattern[str]:
    out, pos = "", 0
    for slot in re.finditer(r"\{(\w+)\}", pattern):
        out += re.escape(pattern[pos : slot.start()])
        many = slot.group(1) in _MULTI_SEGMENT.get(name, set())
        out += rf"(?P<{slot.group(1)}>{'.+' if many else '[^/#]+'})"
        pos = slot.end()
    return re.compile(out + re.escape(pattern[pos:]) + "$")


@dataclass(frozen=True)
class IriScheme:
    """The IRI patterns under one base IRI."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", base_with_slash(self.base))

    @cached_property
    def _compiled(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(name, _regex(name, pattern)) for name, pattern in PATTERNS.items()]

    def path(self, name: str, **slots: object) -> str:
        """The pattern's path with its slots filled (no base)."""
        return PATTERNS[name].format(**{k: str(v) for k, v in slots.items()})

    def mint(self, name: str, **slots: object) -> URIRef:
        """The IRI of pattern `name` with these slots. Raises KeyError: unknown pattern/slot."""
        return URIRef(self.base + self.path(name, **slots))

    def prefix(self, name: str) -> str:
        """The IRI up to the pattern's first slot ("…/id/meeting/"), for prefix filters."""
        return self.base + PATTERNS[name].split("{", 1)[0]

    def parse(self, iri: str) -> tuple[str, dict[str, str]] | None:
        """(pattern name, slots) for an IRI under this base, or None."""
        if not iri.startswith(self.base):
            return None
        path = iri[len(self.base) :]
        for name, regex in self._compiled:
            match = regex.match(path)
            if match:
                return name, match.groupdict()
        return None

    def key(self, name: str, iri: str) -> str | None:
        """The `key` slot of an IRI of pattern `name` ("msp-6" of a meeting IRI), or None."""
        parsed = self.parse(iri)
        return parsed[1].get("key") if parsed and parsed[0] == name else None


def numbered_meeting_key(kind: str, ordinal: int) -> str:
    """Key of a numbered meeting: ("meeting-of-states-parties", 6) -> "msp-6"."""
    return f"{NUMBERED_MEETINGS[kind].lower()}-{ordinal}"


def dated_meeting_key(kind: str, day: str) -> str:
    """Key of a meeting known by its kind and date: "coordination-committee-2016-05-26"."""
    return f"{kind}-{day}"


def undated_meeting_key(kind: str, document: str) -> str:
    """Key of a meeting whose date is unknown: kind and the document that records it."""
    return f"{kind}-undated-{document}"


def short_meeting_label(key: str) -> str | None:
    """ "msp-6" -> "6MSP" (the label people write), or None for other keys."""
    for label in NUMBERED_MEETINGS.values():
        prefix = label.lower() + "-"
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            return f"{key[len(prefix) :]}{label}"
    return None


def meeting_key(text: str) -> str:
    """A meeting id as a person writes it -> its key: "6MSP", "6msp", "msp-6" -> "msp-6";
    a part of a meeting held in two parts: "2RC-part1" -> "rc-2-part-1"."""
    match = _SHORT_MEETING.match(text)
    if not match:
        return text.strip()
    key = f"{match.group(2).lower()}-{int(match.group(1))}"
    return f"{key}-part-{match.group(3)}" if match.group(3) else key
