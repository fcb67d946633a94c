"""Persons across documents: one node per person, whatever the spelling, and the evidence why.

The extractor keys each name on its own (case, accents, punctuation and honorifics removed).
Here the keys meet the persons already in the store and in this load:
- a name whose key differs only by initials ("J. K. Doe" ~ "Jane K. Doe") takes the known key;
- a name spelled *close* to a known one (`near_spelling`) takes the known key when the context
  agrees: the two spellings sat for one same delegation (a resolved State or organisation);
- any other close or similar spelling is kept apart and flagged for review.

Every comparison that merged or flagged becomes a `PersonMatch`: a line of the load summary
and a `ccm:PersonMatch` node in the document's graph (which spelling, which known person,
which rule, the passage here and, once linked against the store, the other documents' passages).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import Literal

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import FOAF, PROV

from ccmkg.loaders.crossdoc import PassageCache, passage_context
from ccmkg.loaders.emit import digest
from ccmkg.loaders.gazetteer import PersonIndex
from ccmkg.loaders.records import ActorRef, Extraction, Passage, PersonRef
from ccmkg.loaders.tripleset import TripleSet
from ccmkg.model.iri import IriScheme
from ccmkg.model.terms import CCM
from ccmkg.store import Store
from ccmkg.store.base import Lookup

SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

# The shorter of the two differing words must have at least this many letters: one letter in
# a short word is a different name ("Berg" / "Borg"), in a long one it is a typo.
MIN_WORD = 5
SIMILAR = 0.85  # difflib ratio above which two keys are shown for review (never merged)

Decision = Literal["merged", "review"]

KNOWN_QUERY = f"""PREFIX foaf: <{FOAF}>
SELECT DISTINCT ?key ?name ?iso ?acr WHERE {{
  ?person <{CCM.nameKey}> ?key .
  OPTIONAL {{ ?person foaf:name ?name }}
  OPTIONAL {{
    {{ ?x <{CCM.participant}> ?person ; <{CCM.delegation}> ?d }}
    UNION {{ ?x <{CCM.chairPerson}> ?person ; <{CCM.chair}> ?d }}
    OPTIONAL {{ ?d <{CCM.iso3}> ?iso }} OPTIONAL {{ ?d <{CCM.acronym}> ?acr }}
  }}
}}"""

EVIDENCE_QUERY = f"""PREFIX prov: <{PROV}>
PREFIX oa: <{OA}>
SELECT DISTINCT ?passage ?doc ?g WHERE {{
  GRAPH ?g {{
    {{ ?x <{CCM.participant}> ?person }} UNION {{ ?x <{CCM.chairPerson}> ?person }}
    ?x prov:wasDerivedFrom ?passage . ?passage oa:hasSource ?doc .
  }}
}}"""


class KnownPersons(PersonIndex):
    """The person keys known so far, with the delegations each sat for and a display name."""

    def __init__(self) -> None:
        super().__init__()
        self.affiliations: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}

    def note(self, key: str, name: str | None, affiliations: set[str]) -> None:
        self.add(key)
        self.affiliations.setdefault(key, set()).update(affiliations)
        if name:
            self.names[key] = min(self.names.get(key, name), name)


def affiliation(actor: ActorRef | None) -> set[str]:
    """The context key of a delegation; an unresolved name is no evidence of anything."""
    return {f"{actor.kind}:{actor.key}"} if actor is not None and actor.resolved else set()


def person_index(store: Store) -> KnownPersons:
    """The persons the store already holds: keys, delegations, names."""
    index = KnownPersons()
    for row in store.select(KNOWN_QUERY).rows:
        delegation = (
            f"state:{row['iso']}"
            if row.get("iso") is not None
            else f"organization:{row['acr']}"
            if row.get("acr") is not None
            else None
        )
        name = row.get("name")
        found = {delegation} if delegation is not None else set()
        index.note(str(row["key"]), str(name) if name is not None else None, found)
    return index


# --- when are two spellings close ------------------------------------------------------------


def one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with exactly one letter inserted, dropped or replaced, or two
    neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1 :]


def near_spelling(a: str, b: str) -> bool:
    """Two person keys (already folded: no accents, case, honorifics) are *close* when:

    - they have the same number of words, two at least (a surname alone never merges);
    - all words are equal but one;
    - the two differing words start with the same letter, the shorter has `MIN_WORD` letters
      or more, and they are one edit apart (`one_edit`).
    """
    wa, wb = a.split("-"), b.split("-")
    if a == b or len(wa) != len(wb) or len(wa) < 2:
        return False
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return min(len(x), len(y)) >= MIN_WORD and x[0] == y[0] and one_edit(x, y)


# --- resolution ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    """A spelling compared to a known person: merged into it, or kept apart for review."""

    decision: Decision
    rule: str  # initials | near-spelling-same-delegation | near-spelling-other-delegation | …
    written: str  # the name as written here
    name: str  # the name here, without honorific
    key: str  # its own key
    known: str  # the known person's key
    why: str
    passage: Passage | None = None
    known_name: str | None = None

    @property
    def note(self) -> str:
        verb = "merged with" if self.decision == "merged" else "kept apart from"
        return f"person {self.written!r} ({self.key}) {verb} {self.known!r}: {self.why}"


@dataclass
class _Seen:
    ref: PersonRef
    passage: Passage | None
    affiliations: set[str] = field(default_factory=set)


def _mentions(extraction: Extraction) -> dict[str, _Seen]:
    """Each person key of the document, its first passage and the delegations it sat for."""
    seen: dict[str, _Seen] = {}
    for attendance in extraction.attendance:
        for p in attendance.participants:
            s = seen.setdefault(p.person.key, _Seen(p.person, p.passage))
            s.affiliations |= affiliation(attendance.actor)
    m = extraction.meeting
    if m is not None and m.chair_person is not None:
        s = seen.setdefault(m.chair_person.key, _Seen(m.chair_person, m.passage))
        s.affiliations |= affiliation(m.chair)
    return seen


def _label(affiliations: set[str]) -> str:
    return ", ".join(sorted(a.split(":", 1)[1] for a in affiliations)) or "none resolved"


def _match(seen: _Seen, index: KnownPersons) -> tuple[str, list[PersonMatch]]:
    """The key this person takes, and the comparisons worth reporting."""
    ref = seen.ref
    if ref.key in index.keys:
        return index.keys[ref.key], []

    def found(decision: Decision, rule: str, known: str, why: str) -> PersonMatch:
        return PersonMatch(
            decision, rule, ref.name_as_written, ref.name, ref.key, known, why,
            seen.passage, index.names.get(known),
        )  # fmt: skip

    key, reason = index.resolve(ref.name)
    if reason == "initials":
        return key, [found("merged", "initials", key, "same name up to initials")]
    close = sorted(k for k in index.keys if k != ref.key and near_spelling(ref.key, k))
    agree = [k for k in close if index.affiliations.get(k, set()) & seen.affiliations]
    out: list[PersonMatch] = []
    merged: str | None = None
    if len(agree) == 1:
        merged = agree[0]
        index.keys[ref.key] = merged  # this spelling now names the known person
        shared = _label(index.affiliations[merged] & seen.affiliations)
        out.append(
            found(
                "merged",
                "near-spelling-same-delegation",
                merged,
                f"one letter apart in one word, and both sat for {shared}",
            )
        )
    for k in close:
        if k == merged:
            continue
        why = (
            "one letter apart in one word, but more than one known person agrees"
            if k in agree
            else f"one letter apart in one word, but no shared delegation (here: "
            f"{_label(seen.affiliations)}; known: {_label(index.affiliations.get(k, set()))})"
        )
        out.append(found("review", "near-spelling-other-delegation", k, why))
    similar = difflib.get_close_matches(ref.key, list(index.keys), n=3, cutoff=SIMILAR)
    for k in similar:
        if k not in close and k != ref.key:
            why = "similar spelling, more than one letter apart: review whether one person"
            out.append(found("review", "similar-spelling", k, why))
    return merged or key, out


def resolve_persons(extraction: Extraction, index: KnownPersons) -> list[PersonMatch]:
    """Re-key the extraction's persons against `index` (in place) and add them to it.

    Returns every merge and every pair flagged for review, with the rule and the reason.
    """
    matches: list[PersonMatch] = []
    new_keys: dict[str, PersonRef] = {}
    for key, seen in _mentions(extraction).items():
        canonical, found = _match(seen, index)
        matches += found
        if canonical != key:
            new_keys[key] = replace(seen.ref, key=canonical)
        index.note(canonical, index.names.get(canonical) or seen.ref.name, seen.affiliations)

    def rekey(ref: PersonRef) -> PersonRef:
        return replace(ref, key=new_keys[ref.key].key) if ref.key in new_keys else ref

    for attendance in extraction.attendance:
        for participant in attendance.participants:
            participant.person = rekey(participant.person)
    if extraction.meeting is not None and extraction.meeting.chair_person is not None:
        extraction.meeting.chair_person = rekey(extraction.meeting.chair_person)
    return matches


# --- the graph -------------------------------------------------------------------------------


def record_matches(
    graph: Graph | TripleSet, matches: list[PersonMatch], base: str, sha16: str, document: URIRef
) -> None:
    """Add one `ccm:PersonMatch` per match to the document's graph; a merged person is named
    by the known name (foaf:name) and keeps this spelling as schema:alternateName."""
    iris = IriScheme(base)
    for m in matches:
        node = iris.mint("fact", kind="person-match", key=digest(sha16, m.key, m.known, m.rule))
        mine = iris.mint("person", key=m.known if m.decision == "merged" else m.key)
        graph.add((node, RDF.type, CCM.PersonMatch))
        graph.add((node, CCM.matchedPerson, mine))
        graph.add((node, CCM.knownPerson, iris.mint("person", key=m.known)))
        graph.add((node, CCM.matchedName, RdfLiteral(m.name)))
        if m.known_name:
            graph.add((node, CCM.knownName, RdfLiteral(m.known_name)))
        graph.add((node, CCM.matchRule, RdfLiteral(m.rule)))
        graph.add((node, CCM.matchDecision, RdfLiteral(m.decision)))
        graph.add((node, CCM.matchReason, RdfLiteral(m.why)))
        graph.add((node, CCM.inDocument, document))
        if m.decision == "review":
            graph.add((node, CCM.needsReview, RdfLiteral(True)))
        if m.passage is not None:
            passage = iris.mint("passage", doc=sha16, start=m.passage.start, end=m.passage.end)
            graph.add((node, PROV.wasDerivedFrom, passage))
        if m.decision == "merged" and m.known_name and m.known_name != m.name:
            graph.remove((mine, FOAF.name, RdfLiteral(m.name)))
            graph.add((mine, FOAF.name, RdfLiteral(m.known_name)))
            graph.add((mine, SCHEMA.alternateName, RdfLiteral(m.name)))


def link_match_evidence(
    store: Lookup,
    graph: Graph | TripleSet,
    exclude: set[str],
    doc_graph_prefix: str,
    passages: PassageCache | None = None,
) -> tuple[list[str], str]:
    """Link each PersonMatch of `graph` to the passages and documents of the known person in
    the other documents already stored (`ccm:matchEvidence`, `ccm:otherDocument`).

    Returns the documents per match (for the load summary) and the linked passages' triples
    (what validating `graph` needs to see, without writing them again).
    """
    linked: dict[URIRef, str] = {}
    lines: list[str] = []
    nodes = {n for n in graph.subjects(RDF.type, CCM.PersonMatch) if isinstance(n, URIRef)}
    for node in sorted(nodes):
        known = graph.value(node, CCM.knownPerson)
        if not isinstance(known, URIRef):
            continue
        docs: set[URIRef] = set()
        for row in store.select(EVIDENCE_QUERY, {"person": known}).rows:
            g = row.get("g")
            if g is None or str(g) in exclude or not str(g).startswith(doc_graph_prefix):
                continue
            passage, doc = row.get("passage"), row.get("doc")
            if isinstance(passage, URIRef) and isinstance(doc, URIRef):
                graph.add((node, CCM.matchEvidence, passage))
                graph.add((node, CCM.otherDocument, doc))
                if passage not in linked:
                    linked[passage] = passage_context(store, passage, passages)
                docs.add(doc)
        if docs:
            lines.append(f"{known}: seen in {', '.join(sorted(str(d) for d in docs))}")
    return lines, "".join(linked.values())


__all__ = [
    "KnownPersons",
    "PersonMatch",
    "link_match_evidence",
    "near_spelling",
    "person_index",
    "record_matches",
    "resolve_persons",
]
