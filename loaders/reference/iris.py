"""The IRIs and named graphs of reference data, in one place.

Meetings, States, persons, posts and obligations use the same patterns as the document loaders
(ontology/README.md, IRI policy) so that reference facts and document facts join up.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import URIRef

from ccmkg.terms import CCM

MEETING_KEY = re.compile(r"^(?P<n>\d+)(?P<kind>MSP|RC)(?:-part(?P<part>\d+))?$")
OBLIGATION_TYPE = {3: CCM.StockpileDestruction, 4: CCM.Clearance}


def digest(*parts: object) -> str:
    """First 16 hex digits of sha1 over the '|'-joined natural key (the IRI policy's `h`)."""
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _segment(key: str) -> str:
    return quote(key, safe="-._~")


class Iris:
    """IRI minting for one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def iri(self, path: str) -> URIRef:
        return URIRef(f"{self.base}{path}")

    # named graphs
    def source_graph(self, url: str) -> str:
        return f"{self.base}graph/reference/{digest(url)}"

    def conflicts_graph(self) -> str:
        return f"{self.base}graph/reference/conflicts"

    def reference_graph_prefix(self) -> str:
        return f"{self.base}graph/reference/"

    def derived_graph(self, rule: str) -> str:
        return f"{self.base}graph/derived/{rule}"

    def derived_graph_prefix(self) -> str:
        return f"{self.base}graph/derived/"

    # nodes
    def source(self, url: str) -> URIRef:
        return self.iri(f"id/source/{digest(url)}")

    def rule(self, name: str) -> URIRef:
        return self.iri(f"id/rule/{_segment(name)}")

    def state(self, iso3: str) -> URIRef:
        return self.iri(f"id/state/{_segment(iso3)}")

    def person(self, key: str) -> URIRef:
        return self.iri(f"id/person/{_segment(key)}")

    def meeting(self, key: str) -> URIRef:
        """`6MSP` → id/meeting/msp-6, `2RC` → rc-2, `2RC-part1` → rc-2-part-1."""
        m = MEETING_KEY.match(key)
        if m is None:
            raise ValueError(f"not a meeting key: {key!r} (expected e.g. 6MSP, 1RC, 2RC-part1)")
        path = f"{m['kind'].lower()}-{m['n']}"
        if m["part"]:
            path += f"-part-{m['part']}"
        return self.iri(f"id/meeting/{path}")

    def presidency_post(self, meeting: URIRef) -> URIRef:
        return self.iri(f"id/post/presidency/{str(meeting).rsplit('/', 1)[-1]}")

    def holding(self, holder: URIRef, post: URIRef, role: URIRef, term: str) -> URIRef:
        return self.iri(f"id/holding/{digest(holder, post, role, term)}")

    def obligation(self, iso3: str, otype: URIRef) -> URIRef:
        return self.iri(f"id/obligation/{_segment(iso3)}/{str(otype).removeprefix(str(CCM))}")

    def obligation_event(self, obligation: URIRef, event_type: URIRef, key: str) -> URIRef:
        return self.iri(f"id/obligation-event/{digest(obligation, event_type, key)}")

    def treaty_action(self, iso3: str, which: str) -> URIRef:
        return self.iri(f"id/treaty-action/{_segment(iso3)}/{which}")

    def conflict(self, *key: object) -> URIRef:
        return self.iri(f"id/conflict/{digest(*key)}")
