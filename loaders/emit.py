"""Records → triples: one rdflib Graph per document, following ontology/ccm.ttl and its IRI policy.

Guarantees (each tested in tests/loaders_pipeline/test_emit.py):
- every fact node (a ccm:Fact subclass) is prov:wasDerivedFrom the ccm:Passage it was read
  from, and every passage carries its document, its quote and its character offsets;
- IRIs are minted from natural keys only (ontology/README.md), never from load order and never
  as blank nodes: the same Extraction always gives the same graph;
- a name the gazetteers did not resolve never becomes an actor nor a fact: it becomes a
  ccm:ReviewItem (the string, why, its passage) and is listed in `Emitted.unresolved`;
  nothing is dropped silently and nothing is guessed;
- conflicting claims are all kept and linked by a ccm:Conflict node.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import XSD as _XSD
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import FOAF as _FOAF
from rdflib.namespace import ORG as _ORG
from rdflib.namespace import PROV as _PROV
from rdflib.namespace import SKOS, TIME

from ccmkg.loaders.records import (
    ActionPointRecord,
    ActorRef,
    AgendaItemRecord,
    AggregateStatementRecord,
    ApologyRecord,
    AttendanceRecord,
    CalendarMeetingRecord,
    ConflictRecord,
    Extraction,
    MeetingRecord,
    MeetingRef,
    MinutesApprovalRecord,
    NextMeetingRecord,
    ObligationEventRecord,
    Passage,
    PersonRef,
    PostHoldingRecord,
    ReviewItemRecord,
    TreatyActionRecord,
    WorkingGroupRecord,
)
from ccmkg.loaders.registry import default_registry
from ccmkg.loaders.review import reason_for
from ccmkg.loaders.tripleset import TripleSet
from ccmkg.model.iri import (
    COORDINATION_COMMITTEE,
    NUMBERED_MEETINGS,
    IriScheme,
    dated_meeting_key,
    numbered_meeting_key,
    undated_meeting_key,
)
from ccmkg.model.names import slug
from ccmkg.model.terms import CCM as _CCM
from ccmkg.model.vocab import vocabulary

_OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "ccm": _CCM._NS,
    "oa": _OA,
    "schema": SCHEMA,
    "dcterms": _DCTERMS,
    "foaf": _FOAF,
    "org": _ORG,
    "prov": _PROV,
    "skos": SKOS,
    "time": TIME,
}


class _Terms:
    """A namespace whose terms are made once: each attribute access on an rdflib namespace
    builds a new URIRef (a DefinedNamespace also checks its member list), and emitting a
    document reads ~1,000 of them. A term is looked up on the namespace the first time (an
    unknown name raises there, as before) and kept as a plain attribute."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # protocol probes (copy, pickle) are not terms
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __str__(self) -> str:
        return str(self._namespace)


_XSD_BOOLEAN, _XSD_INTEGER = "boolean", "integer"
_XSD_DATE, _XSD_NON_NEGATIVE = "date", "nonNegativeInteger"


@lru_cache(maxsize=2**16, typed=True)
def _typed(value: bool | int | str, xsd_type: str) -> Literal:
    """A typed literal, made once per value: building an rdflib Literal parses and normalises
    its value, and a document writes hundreds of the same few numbers, years and dates
    (character offsets, counts). Literals are immutable, so sharing one is safe."""
    return Literal(value, datatype=_XSD[xsd_type])


@lru_cache(maxsize=2**16, typed=True)
def _plain(value: str) -> Literal:
    """A plain literal, made once per text (as `_typed`): a document writes the same labels,
    names and section titles many times (~225 literals a document, ~16 distinct)."""
    return Literal(value)


CCM, OA, RDF, RDFS, XSD = _Terms(_CCM), _Terms(_OA), _Terms(_RDF), _Terms(_RDFS), _Terms(_XSD)
DCTERMS, FOAF, ORG, PROV = _Terms(_DCTERMS), _Terms(_FOAF), _Terms(_ORG), _Terms(_PROV)
TIME_ = _Terms(TIME)

# Record vocabulary (slugs) → ontology terms: ccmkg.model.vocab, read off the ontology.
PRESIDENCY_ROLES = frozenset(
    {"president", "president-designate", "past-president", "vice-president"}
)
ACTOR_CLASS = {"state": CCM.State, "organization": CCM.Organization}
ARTICLE = {3: CCM.Article3, 4: CCM.Article4, 7: CCM.Article7}
# The obligation type an article's events concern; Article 7 has two (see _obligation_type).
OBLIGATION_TYPE = {3: CCM.StockpileDestruction, 4: CCM.Clearance, 7: CCM.AnnualReport}
INITIAL_REPORT_WORD = re.compile(r"\binitial\b", re.IGNORECASE)


@dataclass(frozen=True)
class Unresolved:
    """A name no gazetteer resolved: its ccm:ReviewItem (`iri`), never an actor."""

    kind: str
    name: str
    iri: str
    quote: str
    start: int


@dataclass
class Emitted:
    """The graph of one document and what the load summary reports about it."""

    graph: Graph
    document: URIRef
    facts: Counter[str] = field(default_factory=Counter)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def digest(*parts: object) -> str:
    """First 16 hex digits of sha1 over the '|'-joined natural key (the IRI policy's `h`)."""
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _segment(key: str) -> str:
    """A natural key made safe as one IRI path segment (keys are slugs; this is a backstop)."""
    return quote(key, safe="-._~")


def document_iri(base: str, sha256: str) -> URIRef:
    return IriScheme(base).mint("document", key=sha256[:16])


def graph_iri(base: str, sha256: str) -> str:
    return str(IriScheme(base).mint("document-graph", key=sha256[:16]))


def ontology_graph_iri(base: str) -> str:
    return str(IriScheme(base).mint("ontology-graph"))


class _Emitter:
    """Writes one Extraction into one Graph; each method handles one kind of record."""

    def __init__(self, extraction: Extraction, base: str, into: Graph | TripleSet) -> None:
        self.x = extraction
        self.base = base
        self.iris = IriScheme(base)
        self.vocab = vocabulary()
        self.g = into
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        doc = extraction.document
        self.sha16 = doc.sha256[:16]
        self.doc = document_iri(base, doc.sha256)
        self.doc_date = doc.date
        self.out = Emitted(graph=into if isinstance(into, Graph) else Graph(), document=self.doc)
        self._passages: dict[Passage, URIRef] = {}
        self._facts_by_passage: dict[URIRef, list[URIRef]] = {}
        self._unresolved_seen: set[str] = set()
        self.meeting: URIRef | None = None

    # --- small helpers ------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        """Add a triple, turning Python values into typed literals; None adds nothing."""
        if o is None:
            return
        if isinstance(o, URIRef | Literal):
            self.g.add((s, p, o))
        elif isinstance(o, bool):
            self.g.add((s, p, _typed(o, _XSD_BOOLEAN)))
        elif isinstance(o, int):
            self.g.add((s, p, _typed(o, _XSD_INTEGER)))
        elif isinstance(o, dt.date):
            self.g.add((s, p, _typed(o.isoformat(), _XSD_DATE)))
        elif isinstance(o, dt.time):
            self.g.add((s, p, Literal(o.isoformat(timespec="seconds"), datatype=XSD.time)))
        else:
            self.g.add((s, p, _plain(str(o))))

    def passage(self, p: Passage) -> URIRef:
        """The passage node with its two selectors (added once per span)."""
        if p in self._passages:
            return self._passages[p]
        node = self.iris.mint("passage", doc=self.sha16, start=p.start, end=p.end)
        quote_sel, position = URIRef(f"{node}#quote"), URIRef(f"{node}#position")
        g = self.g
        g.add((node, RDF.type, CCM.Passage))
        g.add((node, OA.hasSource, self.doc))
        self.add(node, CCM.section, p.section)
        g.add((node, OA.hasSelector, quote_sel))
        g.add((node, OA.hasSelector, position))
        g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
        g.add((quote_sel, OA.exact, _plain(p.quote)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, _typed(p.start, _XSD_NON_NEGATIVE)))
        g.add((position, OA.end, _typed(p.end, _XSD_NON_NEGATIVE)))
        self._passages[p] = node
        return node

    def fact(self, kind: str, cls: URIRef, passage: Passage, *key: object) -> URIRef:
        """A fact node `{base}id/{kind}/{h}`, typed and derived from its passage."""
        node = self.iris.mint("fact", kind=kind, key=digest(*key))
        p = self.passage(passage)
        if (node, RDF.type, cls) not in self.g:  # counted once: a fact read twice is merged
            self.out.facts[kind] += 1
        self.g.add((node, RDF.type, cls))
        self.g.add((node, PROV.wasDerivedFrom, p))
        claims = self._facts_by_passage.setdefault(p, [])
        if node not in claims:
            claims.append(node)
        return node

    def actor(self, ref: ActorRef, passage: Passage, context: str = "fact") -> URIRef | None:
        """A resolved State or organisation; an unresolved name becomes a review item, never an
        actor (None: the caller records no fact on it)."""
        if not ref.resolved:
            self.review_item(
                ReviewItemRecord(
                    ref.name_as_written, reason_for(ref.name_as_written), passage, context
                )
            )
            return None
        node = self.iris.mint(ref.kind, key=_segment(ref.key))
        g = self.g
        g.add((node, RDF.type, ACTOR_CLASS[ref.kind]))
        self.add(node, RDFS.label, ref.label)
        self.add(node, CCM.nameAsWritten, ref.name_as_written)
        self.add(node, CCM.iso3 if ref.kind == "state" else CCM.acronym, ref.key)
        return node

    def review_item(self, r: ReviewItemRecord) -> None:
        """A string kept for review with its reason and passage (ccm:ReviewItem)."""
        passage = self.passage(r.passage)
        node = self.iris.mint(
            "fact", kind="review", key=digest(self.doc, r.text, r.reason, r.context or "", passage)
        )
        g = self.g
        g.add((node, RDF.type, CCM.ReviewItem))
        g.add((node, PROV.wasDerivedFrom, passage))
        self.add(node, CCM.reviewText, r.text)
        self.add(node, CCM.reviewReason, r.reason)
        self.add(node, CCM.reviewContext, r.context)
        self.add(node, CCM.inDocument, self.doc)
        if str(node) not in self._unresolved_seen:
            self._unresolved_seen.add(str(node))
            self.out.unresolved.append(
                Unresolved(r.reason, r.text, str(node), r.passage.quote, r.passage.start)
            )

    def person(self, ref: PersonRef) -> URIRef:
        node = self.iris.mint("person", key=_segment(ref.key))
        self.g.add((node, RDF.type, CCM.Person))
        self.add(node, FOAF.name, ref.name)
        self.add(node, CCM.nameKey, ref.key)
        self.add(node, CCM.nameAsWritten, ref.name_as_written)
        return node

    def numbered_meeting(self, ref: MeetingRef, passage: Passage) -> URIRef | None:
        """An MSP or Review Conference named by its ordinal (`msp-6`), or None if unnumbered."""
        numbered = ref.kind in NUMBERED_MEETINGS
        if not numbered or ref.ordinal is None:
            return None
        node = self.iris.mint("meeting", key=numbered_meeting_key(ref.kind, ref.ordinal))
        self.g.add((node, RDF.type, self.vocab.meeting_kinds.iri(ref.kind)))
        self.add(node, CCM.ordinal, ref.ordinal)
        self.add(node, RDFS.label, ref.label or f"{ref.ordinal}{NUMBERED_MEETINGS[ref.kind]}")
        self.add(node, PROV.wasDerivedFrom, self.passage(passage))
        return node

    @property
    def context(self) -> URIRef:
        """What per-meeting facts are keyed on: the meeting, or the document when there is none."""
        return self.meeting if self.meeting is not None else self.doc

    # --- records ----------------------------------------------------------------------------

    def document(self) -> None:
        d = self.x.document
        node = self.doc
        self.add(node, RDF.type, CCM.Document)
        self.add(node, CCM.sha256, d.sha256)
        self.add(node, CCM.fileName, d.file_name)
        self.add(node, DCTERMS.title, d.title)
        self.add(node, DCTERMS.date, d.date)
        if d.date is not None:
            self.add(node, CCM.dateInferred, d.date_inferred)
        family = URIRef(d.family_iri) if d.family_iri else default_registry().get(d.family).iri
        self.add(node, CCM.documentFamily, family)
        self.add(node, CCM.symbol, d.symbol)
        self.add(node, PROV.wasDerivedFrom, self.passage(d.passage))

    def meeting_record(self, m: MeetingRecord) -> None:
        node = None
        numbered = m.kind in NUMBERED_MEETINGS
        if numbered and m.ordinal is not None:
            node = self.iris.mint("meeting", key=numbered_meeting_key(m.kind, m.ordinal))
        elif m.date is not None:
            node = self.iris.mint("meeting", key=dated_meeting_key(m.kind, m.date.isoformat()))
        else:
            # No natural key in the text: the meeting is known only as this document's.
            node = self.iris.mint("meeting", key=undated_meeting_key(m.kind, self.sha16))
            self.out.warnings.append(f"meeting without a date ({m.kind}): {m.passage.quote!r}")
        self.meeting = node
        g = self.g
        g.add((node, RDF.type, self.vocab.meeting_kinds.iri(m.kind)))
        g.add((node, PROV.wasDerivedFrom, self.passage(m.passage)))
        self.add(node, DCTERMS.date, m.date)
        if m.date is not None:
            self.add(node, CCM.dateInferred, m.date_inferred)
        self.add(node, CCM.dateStatus, m.date_status)
        for y in m.year_candidates:
            self.add(node, CCM.yearCandidate, Literal(f"{y:04d}", datatype=XSD.gYear))
        for evidence in m.date_evidence:
            self.add(node, CCM.dateEvidence, evidence)
        self.add(node, CCM.dateRule, m.date_rule)
        self.add(node, CCM.endDate, m.end_date)
        self.add(node, CCM.startTime, m.start_time)
        self.add(node, CCM.endTime, m.end_time)
        self.add(node, CCM.venue, m.venue)
        self.add(node, CCM.meetingFormat, self.vocab.formats.iri(m.format) if m.format else None)
        self.add(node, CCM.ordinal, m.ordinal)
        self.add(node, CCM.ordinalScope, m.ordinal_scope)
        self.add(node, DCTERMS.title, m.title)
        if m.chair is not None:
            self.add(node, CCM.chair, self.actor(m.chair, m.passage, "chair"))
        if m.chair_person is not None:
            self.add(node, CCM.chairPerson, self.person(m.chair_person))
        self.add(self.doc, CCM.recordsMeeting, node)

    def attendance(self, a: AttendanceRecord) -> None:
        actor = self.actor(a.actor, a.passage, "attendance")
        if actor is None:
            for p in a.participants:
                self.review_item(
                    ReviewItemRecord(
                        p.person.name_as_written, "person-name", p.passage, "attendance"
                    )
                )
            return
        node = self.fact("attendance", CCM.Attendance, a.passage, self.context, actor)
        self.add(node, CCM.delegation, actor)
        self.add(node, CCM.atMeeting, self.meeting)
        for p in a.participants:
            person = self.person(p.person)
            part = self.fact(
                "participation", CCM.Participation, p.passage, self.context, actor, person
            )
            self.add(part, CCM.participant, person)
            self.add(part, CCM.delegation, actor)
            self.add(part, ORG.organization, actor)
            self.add(part, CCM.inAttendance, node)
            self.add(part, CCM.atMeeting, self.meeting)
            self.add(part, CCM.participantRole, p.role)
            self.add(part, CCM.honorific, p.person.honorific)

    def apology(self, a: ApologyRecord) -> None:
        actor = self.actor(a.actor, a.passage, "apology")
        if actor is None:
            return
        node = self.fact("apology", CCM.Apology, a.passage, self.context, actor)
        self.add(node, CCM.delegation, actor)
        self.add(node, CCM.atMeeting, self.meeting)
        self.add(node, CCM.apologyReceived, a.received)
        for p in a.persons:
            self.add(node, CCM.apologisingPerson, self.person(p.person))

    def post(self, h: PostHoldingRecord) -> URIRef | None:
        """The post a holding is of: coordinator/friend by area or topic, presidency by meeting."""
        committee = self.iris.mint("body", key=COORDINATION_COMMITTEE)
        if h.post in ("coordinator", "friend"):
            post_key = h.area or (slug(h.topic) if h.topic else None)
            if post_key is None:
                self.out.warnings.append(
                    f"{h.post} post without area or topic: {h.passage.quote!r}"
                )
                return None
            cls = CCM.CoordinatorPost if h.post == "coordinator" else CCM.FriendPost
            node = self.iris.mint("post", key=f"{h.post}/{_segment(post_key)}")
            self.g.add((node, RDF.type, cls))
            if h.area is not None:
                term = self.vocab.areas.resolve(h.area)
                area = URIRef(term.iri) if term else None
                if area is None:
                    self.out.warnings.append(
                        f"unknown thematic area {h.area!r} (not a skos:notation): "
                        f"{h.passage.quote!r}"
                    )
                else:
                    self.add(node, CCM.coversArea, area)
            if h.topic is not None and h.area is None:
                self.add(node, CCM.topic, h.topic)
            noun = "Coordinator" if h.post == "coordinator" else "Friend of the President"
            self.add(node, RDFS.label, f"{noun}: {h.area or h.topic}")
            if h.post == "coordinator":
                self.add(node, ORG.postIn, committee)
        else:
            meeting = self.numbered_meeting(h.meeting, h.passage) if h.meeting else None
            suffix = str(meeting).rsplit("/", 1)[-1] if meeting is not None else "convention"
            node = self.iris.mint("post", key=f"presidency/{suffix}")
            self.g.add((node, RDF.type, CCM.PresidencyPost))
            self.add(node, CCM.presidencyOf, meeting)
            self.add(node, ORG.postIn, committee)
            label = (h.meeting.label if h.meeting else None) or suffix
            self.add(node, RDFS.label, f"Presidency ({label})")
        if (node, ORG.postIn, committee) in self.g:
            self.g.add((committee, RDF.type, CCM.CoordinationCommittee))
            self.add(committee, RDFS.label, "Coordination Committee")
        return node

    def holding(self, h: PostHoldingRecord) -> None:
        post = self.post(h)
        if post is None:
            return
        # A post whose State the text does not name keeps its person (ccm:actingPerson).
        holder = self.actor(h.holder, h.passage, "holding") if h.holder is not None else None
        if holder is None and (h.holder is not None or h.person is None):
            return
        role = self.vocab.roles.iri(h.post)
        years = sorted(set(h.mandate_years))
        # A presidency is tied to its meeting, never to the date of a document mentioning it.
        presidency = h.post in PRESIDENCY_ROLES
        if years:
            term, basis = f"{years[0]}-{years[-1]}", "mandate-years"
        elif presidency:
            term = (h.meeting.label or "") if h.meeting else ""
            basis = "presidency" if h.meeting is not None else "attestation"
        else:
            term = str(self.doc_date.year) if self.doc_date else ""
            basis = "attestation"
        who = holder if holder is not None else self.person(h.person) if h.person else None
        node = self.fact("holding", CCM.PostHolding, h.passage, who, post, role, term)
        self.add(node, CCM.holder, holder)
        self.add(node, CCM.post, post)
        self.add(node, ORG.role, role)
        self.add(node, CCM.termBasis, basis)
        for y in years:
            self.add(node, CCM.mandateYear, Literal(f"{y:04d}", datatype=XSD.gYear))
        if years:
            interval = URIRef(f"{node}#term")
            self.add(node, ORG.memberDuring, interval)
            self.add(interval, RDF.type, TIME_.Interval)
            self.add(interval, CCM.startDate, dt.date(years[0], 1, 1))
            self.add(interval, CCM.endDate, dt.date(years[-1], 12, 31))
        passage = self.passage(h.passage)
        att = self.fact("attestation", CCM.Attestation, h.passage, node, passage)
        self.add(att, CCM.attests, node)
        self.add(att, CCM.inDocument, self.doc)
        self.add(att, DCTERMS.date, self.doc_date)
        if h.person is not None:
            self.add(node, CCM.actingPerson, self.person(h.person))
        for y in _active_years(years, None if presidency else self.doc_date):
            self.add(node, CCM.activeYear, Literal(f"{y:04d}", datatype=XSD.gYear))

    def obligation_event(self, e: ObligationEventRecord) -> None:
        event_term = self.vocab.event_types.resolve(e.event)
        event_type = URIRef(event_term.iri) if event_term else None
        article = ARTICLE.get(e.article) if e.article is not None else None
        if event_type is None or (article is None and e.article is not None):
            self.out.warnings.append(
                f"obligation event not recorded (unknown event {e.event!r} or article "
                f"{e.article}): {e.passage.quote!r}"
            )
            return
        state = self.actor(e.state, e.passage, "obligation-event")
        if state is None:
            return
        # An Article the text does not state is not guessed: the obligation has no type, and
        # the State's events of that kind meet on one "unstated" obligation node.
        otype = (
            _obligation_type(e.article, e.text or e.passage.quote)
            if e.article is not None
            else None
        )
        kind = str(otype).removeprefix(str(CCM)) if otype is not None else "unstated-article"
        obligation = self.iris.mint("obligation", key=f"{_segment(e.state.key)}/{kind}")
        self.g.add((obligation, RDF.type, CCM.Obligation))
        self.add(obligation, CCM.obligedState, state)
        self.add(obligation, CCM.obligationType, otype)
        self.add(obligation, PROV.wasDerivedFrom, self.passage(e.passage))
        node = self.fact(
            "obligation-event",
            CCM.ObligationEvent,
            e.passage,
            obligation,
            event_type,
            e.date or "",
            self.passage(e.passage),
        )
        self.add(node, CCM.ofObligation, obligation)
        self.add(node, CCM.eventType, event_type)
        self.add(node, CCM.underArticle, article)
        self.add(node, DCTERMS.date, e.date)
        self.add(node, CCM.text, e.text)
        self.add(node, CCM.inDocument, self.doc)
        self.add(node, CCM.newDeadline, e.deadline)
        if e.meeting is not None:
            self.add(node, CCM.decidedAt, self.numbered_meeting(e.meeting, e.passage))

    def calendar(self, c: CalendarMeetingRecord) -> None:
        """When and where a numbered meeting took place: on the meeting's own node (the IRI
        every document mints for it), derived from the passage that says so."""
        node = self.numbered_meeting(c.meeting, c.passage)
        if node is None:
            return
        self.add(node, DCTERMS.date, c.start)
        if c.start is not None:
            self.add(node, CCM.dateInferred, False)
        self.add(node, CCM.endDate, c.end)
        self.add(node, CCM.venue, c.city)
        self.out.facts["calendar"] += 1

    def treaty_action(self, t: TreatyActionRecord) -> None:
        state = self.actor(t.state, t.passage)
        node = self.fact(
            "treaty-action", CCM.TreatyAction, t.passage, state, t.action, t.date or ""
        )
        self.add(node, CCM.ofState, state)
        self.add(node, CCM.actionType, _plain(t.action))
        self.add(node, DCTERMS.date, t.date)
        self.add(node, CCM.inDocument, self.doc)

    def aggregate(self, a: AggregateStatementRecord) -> None:
        article = ARTICLE.get(a.article)
        if article is None:
            self.out.warnings.append(f"statement under unknown article {a.article}: {a.text!r}")
            return
        node = self.fact(
            "aggregate-statement",
            CCM.AggregateStatement,
            a.passage,
            self.doc,
            self.passage(a.passage),
            a.article,
            a.count,
        )
        self.add(node, CCM.underArticle, article)
        self.add(node, CCM.obligationType, _obligation_type(a.article, a.text))
        self.add(node, CCM.count, a.count)
        self.add(node, CCM.text, a.text)
        self.add(node, DCTERMS.date, a.date or self.doc_date)
        self.add(node, CCM.inDocument, self.doc)

    def agenda_item(self, a: AgendaItemRecord) -> None:
        node = self.fact(
            "agenda-item", CCM.AgendaItem, a.passage, self.context, a.number or "", a.title
        )
        self.add(node, CCM.itemNumber, a.number)
        self.add(node, CCM.text, a.title)
        self.add(node, CCM.atMeeting, self.meeting)

    def action_point(self, a: ActionPointRecord) -> None:
        node = self.fact("action-point", CCM.ActionPoint, a.passage, self.context, a.text)
        self.add(node, CCM.text, a.text)
        self.add(node, CCM.atMeeting, self.meeting)
        for r in a.responsible:
            self.add(node, CCM.responsible, self.actor(r, a.passage, "action-point"))
        self.add(node, CCM.responsibleText, a.responsible_text)
        self.add(node, CCM.dueDate, a.due)
        self.add(node, CCM.dueText, a.due_text)

    def minutes_approval(self, m: MinutesApprovalRecord) -> None:
        node = self.fact(
            "minutes-approval",
            CCM.MinutesApproval,
            m.passage,
            self.context,
            m.minutes_date or "",
            self.passage(m.passage),
        )
        self.add(node, CCM.approvedMinutesDate, m.minutes_date)
        self.add(node, CCM.atMeeting, self.meeting)

    def next_meeting(self, n: NextMeetingRecord) -> None:
        node = self.fact("next-meeting", CCM.NextMeetingAnnouncement, n.passage, self.context)
        self.add(node, CCM.announcedDate, n.date)
        self.add(node, CCM.announcedText, n.date_text)
        self.add(node, CCM.startTime, n.start_time)
        self.add(node, CCM.venue, n.venue)
        self.add(node, CCM.atMeeting, self.meeting)

    def working_group(self, w: WorkingGroupRecord) -> None:
        """The group (one node per area or topic, informal ones apart) and the sentence's
        report on it; the stated date only, never the document's (that is the attestation)."""
        subject = w.area or (slug(w.topic) if w.topic else None)
        if subject is None:
            self.out.warnings.append(f"working group without area or topic: {w.passage.quote!r}")
            return
        key = f"informal-{subject}" if w.informal else subject
        group = self.iris.mint("working-group", key=_segment(key))
        self.g.add((group, RDF.type, CCM.WorkingGroup))
        term = self.vocab.areas.resolve(w.area) if w.area else None
        if term is not None:
            self.add(group, CCM.coversArea, URIRef(term.iri))
        self.add(group, CCM.workingGroupTopic, w.topic if term is None else None)
        label = term.label if term is not None else w.topic
        self.add(group, RDFS.label, f"{'Informal w' if w.informal else 'W'}orking group: {label}")
        if w.informal:
            self.add(group, CCM.informal, True)
        node = self.fact(
            "working-group-report",
            CCM.WorkingGroupReport,
            w.passage,
            group,
            self.passage(w.passage),
        )
        self.add(node, CCM.workingGroup, group)
        self.add(node, CCM.workingGroupEvent, w.event)
        self.add(node, CCM.nameAsWritten, w.name)
        for prop, refs in (
            (CCM.lead, w.leads),
            (CCM.member, w.members),
            (CCM.representative, w.representatives),
        ):
            for ref in refs:
                self.add(node, prop, self.actor(ref, w.passage))
        if w.date is not None:
            kind = {"month": (XSD.gYearMonth, 7), "year": (XSD.gYear, 4)}
            dtype, cut = kind.get(w.date_precision or "day", (XSD.date, 10))
            self.add(node, CCM.statedDate, Literal(w.date.isoformat()[:cut], datatype=dtype))
        self.add(node, CCM.inDocument, self.doc)

    def conflict(self, c: ConflictRecord) -> None:
        """Both (all) claims kept: the conflict links each fact read from a passage, or the
        passage itself where no fact was."""
        if not c.passages:
            self.out.warnings.append(f"conflict without passages: {c.about}")
            return
        spans = sorted(f"{p.start}-{p.end}" for p in c.passages)
        node = self.fact("conflict", CCM.Conflict, c.passages[0], self.doc, c.about, *spans)
        self.out.facts.pop("conflict", None)  # a conflict is reported apart, not as a fact
        self.add(node, CCM.conflictAbout, c.about)
        for value in c.values:
            self.add(node, CCM.claimedValue, value)
        for p in c.passages:
            passage = self.passage(p)
            self.add(node, PROV.wasDerivedFrom, passage)
            claims = [f for f in self._facts_by_passage.get(passage, []) if f != node]
            for claim in claims or [passage]:
                self.add(node, CCM.conflictingClaim, claim)
        self.out.conflicts.append(f"{c.about}: {' vs '.join(c.values)}")

    def run(self) -> Emitted:
        self.document()
        if self.x.meeting is not None:
            self.meeting_record(self.x.meeting)
        for a in self.x.attendance:
            self.attendance(a)
        for ap in self.x.apologies:
            self.apology(ap)
        for h in self.x.holdings:
            self.holding(h)
        for e in self.x.obligation_events:
            self.obligation_event(e)
        for s in self.x.aggregate_statements:
            self.aggregate(s)
        for item in self.x.agenda:
            self.agenda_item(item)
        for point in self.x.action_points:
            self.action_point(point)
        for m in self.x.minutes_approvals:
            self.minutes_approval(m)
        if self.x.next_meeting is not None:
            self.next_meeting(self.x.next_meeting)
        for w in self.x.working_groups:
            self.working_group(w)
        for cal in self.x.calendar:
            self.calendar(cal)
        for t in self.x.treaty_actions:
            self.treaty_action(t)
        for c in self.x.conflicts:  # last: they link the facts emitted above
            self.conflict(c)
        for r in self.x.review:
            self.review_item(r)
        named = {u.name for u in self.out.unresolved}
        for issue in self.x.issues:
            if issue.kind == "warning":
                where = f" at {issue.passage.start}" if issue.passage else ""
                self.out.warnings.append(f"{issue.message}{where}")
            elif issue.message not in named:  # e.g. a name that became no entity at all
                p = issue.passage
                self.out.unresolved.append(
                    Unresolved(
                        "name", issue.message, "", p.quote if p else "", p.start if p else -1
                    )
                )
        return self.out


def _active_years(mandate_years: list[int], attested: dt.date | None) -> list[int]:
    """The ccm:activeYear index of a holding: every year its term interval covers (the span of
    its mandate years, which includes them) and the year of this document's attestation.

    Why an index: "who held a post in year Y" is then a lookup instead of date arithmetic over
    every holding (docs/decisions/queries.md)."""
    active = set(range(mandate_years[0], mandate_years[-1] + 1)) if mandate_years else set()
    if attested is not None:
        active.add(attested.year)
    return sorted(active)


def _obligation_type(article: int, wording: str) -> URIRef:
    """Article 7 covers the initial report and the annual update; the wording tells which."""
    if article == 7 and INITIAL_REPORT_WORD.search(wording):
        return CCM.InitialReport
    return OBLIGATION_TYPE.get(article, CCM.AnnualReport)


def emit(extraction: Extraction, base_iri: str) -> Emitted:
    """The triples of one document (see the module docstring for the guarantees)."""
    base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    return _Emitter(extraction, base, Graph()).run()


def emit_set(extraction: Extraction, base_iri: str) -> tuple[Emitted, TripleSet]:
    """The same triples as `emit`, in a plain set (its `Emitted.graph` left empty): for a
    worker that only serialises them, at a fraction of the cost of filling a Graph."""
    base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    triples = TripleSet()
    return _Emitter(extraction, base, triples).run(), triples
