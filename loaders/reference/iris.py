"""The IRIs and named graphs of reference data, in one place.

Meetings, States, persons, posts and obligations use the same patterns as the document loaders
(ontology/README.md, IRI policy) so that reference facts and document facts join up.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from ccmkg.model.iri import COORDINATION_COMMITTEE, meeting_key
from ccmkg.model.terms import CCM
from ccmkg.rules import RuleIris, iri_segment

MEETING_KEY = re.compile(r"^(?P<n>\d+)(?P<kind>MSP|RC)(?:-part(?P<part>\d+))?$")
OBLIGATION_TYPE = {3: CCM.StockpileDestruction, 4: CCM.Clearance}


def digest(*parts: object) -> str:
    """First 16 hex digits of sha1 over the '|'-joined natural key (the IRI policy's `h`)."""
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


class Iris(RuleIris):
    """IRI minting for one base IRI: the reference data's names for the patterns of
    ccmkg.model.iri (where every pattern is defined); the rules' own (rule nodes, derived
    graphs) come from ccmkg.rules."""

    # named graphs
    def source_graph(self, url: str) -> str:
        return str(self.scheme.mint("reference-graph", key=digest(url)))

    def conflicts_graph(self) -> str:
        return str(self.scheme.mint("reference-graph", key="conflicts"))

    # nodes
    def committee(self) -> URIRef:
        return self.scheme.mint("body", key=COORDINATION_COMMITTEE)

    def source(self, url: str) -> URIRef:
        return self.scheme.mint("source", key=digest(url))

    def state(self, iso3: str) -> URIRef:
        return self.scheme.mint("state", key=iri_segment(iso3))

    def person(self, key: str) -> URIRef:
        return self.scheme.mint("person", key=iri_segment(key))

    def meeting(self, key: str) -> URIRef:
        """`6MSP` → id/meeting/msp-6, `2RC` → rc-2, `2RC-part1` → rc-2-part-1."""
        if MEETING_KEY.match(key) is None:
            raise ValueError(f"not a meeting key: {key!r} (expected e.g. 6MSP, 1RC, 2RC-part1)")
        return self.scheme.mint("meeting", key=meeting_key(key))

    def presidency_post(self, meeting: URIRef) -> URIRef:
        meeting_segment = self.scheme.key("meeting", str(meeting))
        return self.scheme.mint("post", key=f"presidency/{meeting_segment}")

    def holding(self, holder: URIRef, post: URIRef, role: URIRef, term: str) -> URIRef:
        return self.scheme.mint("fact", kind="holding", key=digest(holder, post, role, term))

    def obligation(self, iso3: str, otype: URIRef) -> URIRef:
        name = str(otype).removeprefix(str(CCM))
        return self.scheme.mint("obligation", key=f"{iri_segment(iso3)}/{name}")

    def obligation_event(self, obligation: URIRef, event_type: URIRef, key: str) -> URIRef:
        return self.scheme.mint(
            "fact", kind="obligation-event", key=digest(obligation, event_type, key)
        )

    def treaty_action(self, iso3: str, which: str) -> URIRef:
        return self.scheme.mint("treaty-action", key=f"{iri_segment(iso3)}/{which}")

    def conflict(self, *key: object) -> URIRef:
        return self.scheme.mint("fact", kind="conflict", key=digest(*key))
