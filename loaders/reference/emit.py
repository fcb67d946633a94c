"""Reference rows → triples: one named graph per source page, plus one graph of conflicts.

Guarantees (tests/reference/test_reference_emit.py):
- every fact node is prov:wasDerivedFrom the ccm:ReferenceSource (URL + retrieval day) of the
  row it was read from, and that node is in the same graph: a source's graph is self-contained,
  like a document's;
- meetings, States, persons, posts and obligations get the IRIs the document loaders mint, so
  reference facts and document facts are about the same nodes;
- where two sources give different values for the same thing (a meeting's first day, a State's
  instrument date), both stay, each in its source's graph, and one ccm:Conflict links the
  sources; values that only differ in precision ("2018" and "2018-07") do not conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV

from ccmkg.loaders.emit import PREFIXES
from ccmkg.loaders.gazetteer import gazetteer, person
from ccmkg.loaders.reference.iris import MEETING_KEY, OBLIGATION_TYPE, Iris
from ccmkg.loaders.reference.rows import ReferenceData, Row
from ccmkg.model.names import fold
from ccmkg.model.terms import CCM

ARTICLE = {3: CCM.Article3, 4: CCM.Article4}
INSTRUMENTS = ("ratification", "acceptance", "approval", "accession")


@dataclass
class ReferenceGraphs:
    """The graphs to write, and what the load report says about them."""

    graphs: dict[str, Graph] = field(default_factory=dict)
    facts: Counter[str] = field(default_factory=Counter)
    facts_by_source: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def date_term(value: str) -> tuple[URIRef, Literal]:
    """ISO day → (dcterms:date, xsd:date); YYYY-MM or YYYY → (ccm:partialDate, gYearMonth/gYear)."""
    if len(value) == 10:
        return DCTERMS.date, Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
    kind = XSD.gYearMonth if len(value) == 7 else XSD.gYear
    return CCM.partialDate, Literal(value, datatype=kind)


def deadline_term(value: str) -> Literal:
    """A deadline as a source gives it: a day (xsd:date) or only a month/year."""
    return date_term(value)[1]


def _compatible(a: str, b: str) -> bool:
    """Same value, or one a less precise form of the other: a year or month of a day, a name
    without a middle name ("Francisca Méndez Escobar" of "Francisca Elizabeth Méndez Escobar")."""
    if a.startswith(b) or b.startswith(a):
        return True
    if not (any(c.isalpha() for c in a) and any(c.isalpha() for c in b)):
        return False  # dates and codes: only precision may differ
    words_a, words_b = fold(a).split(), fold(b).split()
    return set(words_a) <= set(words_b) or set(words_b) <= set(words_a)


class _Builder:
    def __init__(self, base: str) -> None:
        self.ids = Iris(base)
        self.out = ReferenceGraphs()
        self.labels = gazetteer().state_labels
        # (node, what) → value → source URLs: the claims compared for conflicts
        self.claims: dict[tuple[URIRef, str], dict[str, set[str]]] = defaultdict(dict)
        self.about_label: dict[URIRef, str] = {}

    # --- graphs and shared nodes --------------------------------------------------------------

    def graph(self, row: Row) -> Graph:
        """The graph of the row's source, with the source node in it."""
        key = self.ids.source_graph(row.url)
        g = self.out.graphs.get(key)
        if g is None:
            g = self.out.graphs[key] = Graph()
            for prefix, ns in PREFIXES.items():
                g.bind(prefix, ns)
        self._source_node(g, row)
        return g

    def _source_node(self, g: Graph, row: Row) -> URIRef:
        src = self.ids.source(row.url)
        g.add((src, RDF.type, CCM.ReferenceSource))
        g.add((src, CCM.sourceURL, Literal(row.url, datatype=XSD.anyURI)))
        g.add((src, CCM.retrievedOn, Literal(row.retrieved.isoformat(), datatype=XSD.date)))
        g.add((src, CCM.referenceFile, Literal(row.file)))
        return src

    def fact(self, g: Graph, row: Row, node: URIRef, cls: URIRef, kind: str) -> URIRef:
        g.add((node, RDF.type, cls))
        g.add((node, PROV.wasDerivedFrom, self.ids.source(row.url)))
        self.out.facts[kind] += 1
        self.out.facts_by_source[row.url] += 1
        return node

    def claim(self, row: Row, node: URIRef, what: str, value: str | None) -> None:
        if value:
            self.claims[(node, what)].setdefault(value, set()).add(row.url)

    def state(self, g: Graph, iso3: str, written: str | None = None) -> URIRef:
        node = self.ids.state(iso3)
        g.add((node, RDF.type, CCM.State))
        g.add((node, CCM.iso3, Literal(iso3)))
        g.add((node, RDFS.label, Literal(self.labels.get(iso3, written or iso3))))
        if written:
            g.add((node, CCM.nameAsWritten, Literal(written)))
        return node

    def person(self, g: Graph, written: str) -> URIRef:
        ref = person(written)
        node = self.ids.person(ref.key)
        g.add((node, RDF.type, CCM.Person))
        g.add((node, CCM.nameKey, Literal(ref.key)))
        g.add((node, CCM.nameAsWritten, Literal(written)))
        g.add((node, FOAF.name, Literal(ref.name)))
        return node

    def meeting(self, g: Graph, row: Row, key: str) -> URIRef:
        """A numbered MSP/RC (or a part of one), typed and labelled, derived from the row."""
        m = MEETING_KEY.match(key)
        if m is None:
            raise ValueError(f"{row.where}: {key!r} is not a meeting (e.g. 6MSP, 2RC-part1)")
        node = self.ids.meeting(key)
        cls = CCM.MeetingOfStatesParties if m["kind"] == "MSP" else CCM.ReviewConference
        label = f"{m['n']}{m['kind']}"
        g.add((node, RDF.type, cls))
        g.add((node, CCM.ordinal, Literal(int(m["n"]), datatype=XSD.integer)))
        g.add((node, PROV.wasDerivedFrom, self.ids.source(row.url)))
        if m["part"]:
            whole = self.meeting(g, row, label)
            g.add((node, CCM.partOf, whole))
            label = f"{label} (part {m['part']})"
        g.add((node, RDFS.label, Literal(label)))
        self.about_label[node] = label
        return node

    def presidency(
        self, g: Graph, row: Row, meeting: URIRef, holder: URIRef, role: URIRef, term: str
    ) -> URIRef:
        post = self.ids.presidency_post(meeting)
        committee = self.ids.committee()
        g.add((post, RDF.type, CCM.PresidencyPost))
        g.add((post, CCM.presidencyOf, meeting))
        g.add((post, ORG.postIn, committee))
        g.add((post, RDFS.label, Literal(f"Presidency ({self.about_label.get(meeting, '')})")))
        g.add((committee, RDF.type, CCM.CoordinationCommittee))
        g.add((committee, RDFS.label, Literal("Coordination Committee")))
        node = self.ids.holding(holder, post, role, term)
        self.fact(g, row, node, CCM.PostHolding, "presidency-holding")
        what = "President-designate" if role == CCM.PresidentDesignate else "presidency"
        self.about_label[node] = f"{what} of {self.about_label.get(meeting, '')}"
        g.add((node, CCM.holder, holder))
        g.add((node, CCM.post, post))
        g.add((node, ORG.role, role))
        g.add((node, CCM.termBasis, Literal("presidency")))
        return node

    def obligation(self, g: Graph, row: Row, iso3: str, article: int) -> URIRef | None:
        otype = OBLIGATION_TYPE.get(article)
        if otype is None:
            self.out.problems.append(f"{row.where}: article {article} has no deadline rule here")
            return None
        node = self.ids.obligation(iso3, otype)
        g.add((node, RDF.type, CCM.Obligation))
        g.add((node, CCM.obligedState, self.state(g, iso3)))
        g.add((node, CCM.obligationType, otype))
        g.add((node, PROV.wasDerivedFrom, self.ids.source(row.url)))
        self.about_label[node] = f"{iso3} Article {article}"
        return node

    def event(
        self, g: Graph, row: Row, obligation: URIRef, etype: URIRef, key: str, article: int
    ) -> URIRef:
        node = self.ids.obligation_event(obligation, etype, key)
        self.fact(g, row, node, CCM.ObligationEvent, "obligation-event")
        g.add((node, CCM.ofObligation, obligation))
        g.add((node, CCM.eventType, etype))
        g.add((node, CCM.underArticle, ARTICLE[article]))
        self.about_label[node] = f"{self.about_label.get(obligation, '')} {key}".strip()
        return node

    def add_date(self, g: Graph, node: URIRef, value: str | None) -> None:
        if value:
            g.add((node, *date_term(value)))

    # --- files --------------------------------------------------------------------------------

    def meetings(self, row: Row) -> None:
        g = self.graph(row)
        whole_key, part = row.get("meeting") or "", row.get("part")
        node = self.meeting(g, row, part or whole_key)
        whole = self.meeting(g, row, whole_key) if part else node
        self.out.facts["meeting"] += 1
        self.out.facts_by_source[row.url] += 1
        start, end = row.get("start_date"), row.get("end_date")
        self.add_date(g, node, start)
        if end:
            g.add((node, CCM.endDate, date_term(end)[1]))
        if part and start and part.endswith("1"):  # the conference runs from its first part…
            self.add_date(g, whole, start)
        if part and end and not part.endswith("1"):  # … to the end of its last
            g.add((whole, CCM.endDate, date_term(end)[1]))
        if row.get("city"):
            g.add((node, CCM.venue, Literal(row.get("city"))))
        if row.get("country_iso3"):
            g.add((node, CCM.hostCountry, self.state(g, row.get("country_iso3") or "")))
        if row.get("status"):
            g.add((node, CCM.meetingStatus, Literal(row.get("status"))))
        for what, column in (
            ("first day", "start_date"),
            ("last day", "end_date"),
            ("venue", "city"),
            ("status", "status"),
            ("presiding State", "presiding_state_iso3"),
            ("President", "president_person"),
        ):
            self.claim(row, node, what, row.get(column))
        iso3, name = row.get("presiding_state_iso3"), row.get("president_person")
        president = self.person(g, name) if name else None
        if president is not None:
            g.add((whole, CCM.chairPerson, president))
        if iso3:
            state = self.state(g, iso3)
            g.add((whole, CCM.chair, state))
            holding = self.presidency(g, row, whole, state, CCM.President, "reference")
            if president is not None:
                g.add((holding, CCM.actingPerson, president))

    def designations(self, row: Row) -> None:
        g = self.graph(row)
        meeting = self.meeting(g, row, row.get("meeting") or "")
        iso3 = row.get("state_iso3")
        if not iso3:
            self.out.problems.append(f"{row.where}: a designation without a State; skipped")
            return
        state = self.state(g, iso3)
        holding = self.presidency(g, row, meeting, state, CCM.PresidentDesignate, "designate")
        name = row.get("person")
        if name:
            g.add((holding, CCM.actingPerson, self.person(g, name)))
        at = row.get("designated_at_meeting")
        if at:
            g.add((holding, CCM.designatedAt, self.meeting(g, row, at)))
        self.claim(row, holding, "person", name)
        self.claim(row, holding, "designated at", at)

    def states(self, row: Row) -> None:
        iso3 = row.get("state_iso3")
        if not iso3:
            self.out.problems.append(f"{row.where}: a row without state_iso3; skipped")
            return
        g = self.graph(row)
        state = self.state(g, iso3, row.get("state_name"))
        signed = row.get("signature_date")
        if signed and len(signed) == 10:
            node = self.ids.treaty_action(iso3, "signature")
            self.fact(g, row, node, CCM.TreatyAction, "signature")
            g.add((node, CCM.ofState, state))
            g.add((node, CCM.actionType, Literal("signature")))
            self.add_date(g, node, signed)
            self.about_label[node] = f"{iso3} signature"
            self.claim(row, node, "date", signed)
        kind, deposited = row.get("instrument"), row.get("instrument_date")
        if kind and deposited and len(deposited) == 10 and kind in INSTRUMENTS:
            node = self.ids.treaty_action(iso3, "instrument")
            self.fact(g, row, node, CCM.TreatyAction, "instrument")
            g.add((node, CCM.ofState, state))
            g.add((node, CCM.actionType, Literal(kind)))
            self.add_date(g, node, deposited)
            self.about_label[node] = f"{iso3} instrument"
            self.claim(row, node, "date of deposit", deposited)
            self.claim(row, node, "kind of instrument", kind)
        elif kind or deposited:
            self.out.problems.append(
                f"{row.where}: instrument {kind!r} on {deposited!r} is incomplete; not recorded"
            )

    def _article(self, row: Row) -> int | None:
        try:
            return int(row.get("article") or "")
        except ValueError:
            self.out.problems.append(f"{row.where}: article {row.get('article')!r}; skipped")
            return None

    def extensions(self, row: Row) -> None:
        article, iso3 = self._article(row), row.get("state_iso3") or ""
        g = self.graph(row)
        obligation = self.obligation(g, row, iso3, article) if article else None
        if obligation is None or article is None:
            return
        at = row.get("decided_at_meeting")
        meeting = self.meeting(g, row, at) if at else None
        key = at or ""
        granted = row.get("decision") == "granted"
        request = self.event(g, row, obligation, CCM.ExtensionRequested, key, article)
        self.add_date(g, request, row.get("submitted_on"))
        if meeting is not None:
            g.add((request, CCM.atMeeting, meeting))
        previous, new = row.get("original_deadline"), row.get("new_deadline")
        if previous:
            g.add((request, CCM.previousDeadline, deadline_term(previous)))
        if new and not granted:
            g.add((request, CCM.requestedDeadline, deadline_term(new)))
        self.claim(row, request, "submitted on", row.get("submitted_on"))
        self.claim(row, request, "previous deadline", previous)
        if not granted:
            self.claim(row, request, "requested deadline", new)
            return
        grant = self.event(g, row, obligation, CCM.ExtensionGranted, key, article)
        if meeting is not None:
            g.add((grant, CCM.atMeeting, meeting))
        if previous:
            g.add((grant, CCM.previousDeadline, deadline_term(previous)))
        if new:
            g.add((grant, CCM.newDeadline, deadline_term(new)))
        self.claim(row, grant, "new deadline", new)

    def completions(self, row: Row) -> None:
        article, iso3 = self._article(row), row.get("state_iso3") or ""
        g = self.graph(row)
        obligation = self.obligation(g, row, iso3, article) if article else None
        if obligation is None or article is None:
            return
        node = self.event(g, row, obligation, CCM.CompletionDeclared, "", article)
        self.add_date(g, node, row.get("completed_on"))
        at = row.get("declared_at_meeting")
        if at:
            g.add((node, CCM.atMeeting, self.meeting(g, row, at)))
        self.claim(row, node, "completed on", row.get("completed_on"))

    def obligation_scope(self, row: Row) -> None:
        article, iso3 = self._article(row), row.get("state_iso3") or ""
        g = self.graph(row)
        obligation = self.obligation(g, row, iso3, article) if article else None
        if obligation is None:
            return
        self.out.facts["obligation-scope"] += 1
        self.out.facts_by_source[row.url] += 1
        basis, as_of = row.get("basis"), row.get("as_of")
        if basis:
            g.add(
                (
                    obligation,
                    CCM.scopeBasis,
                    Literal(f"{basis} (as of {as_of})" if as_of else basis),
                )
            )

    # --- conflicts ----------------------------------------------------------------------------

    def conflicts(self) -> None:
        g = Graph()
        sources: dict[str, Row] = {}
        for rows in self._rows_by_url.values():
            sources.update({r.url: r for r in rows[:1]})
        for (node, what), values in sorted(self.claims.items()):
            distinct = sorted(values)
            clash = any(
                not _compatible(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]
            )
            if not clash:
                continue
            label = self.about_label.get(node, str(node))
            conflict = self.ids.conflict(node, what, *distinct)
            g.add((conflict, RDF.type, CCM.Conflict))
            g.add((conflict, CCM.conflictAbout, Literal(f"{what} of {label} ({node})")))
            for value in distinct:
                g.add((conflict, CCM.claimedValue, Literal(value)))
            for url in sorted({u for us in values.values() for u in us}):
                src = self._source_node(g, sources[url])
                g.add((conflict, CCM.conflictingClaim, src))
                g.add((conflict, PROV.wasDerivedFrom, src))
            shown = " vs ".join(f"{v} ({len(values[v])} source(s))" for v in distinct)
            self.out.conflicts.append(f"{what} of {label}: {shown}")
        if len(g):
            self.out.graphs[self.ids.conflicts_graph()] = g

    def run(self, data: ReferenceData) -> ReferenceGraphs:
        self._rows_by_url: dict[str, list[Row]] = defaultdict(list)
        handlers = {
            "meetings.csv": self.meetings,
            "designations.csv": self.designations,
            "states.csv": self.states,
            "extensions.csv": self.extensions,
            "completions.csv": self.completions,
            "obligation_scope.csv": self.obligation_scope,
        }
        for name, rows in data.rows.items():
            handle = handlers.get(name)
            if handle is None:
                self.out.problems.append(f"{name}: no reader for this file; skipped")
                continue
            for row in rows:
                self._rows_by_url[row.url].append(row)
                try:
                    handle(row)
                except ValueError as exc:
                    self.out.problems.append(f"{row.where}: {exc}; skipped")
        self.conflicts()
        return self.out


def emit_reference(data: ReferenceData, base_iri: str) -> ReferenceGraphs:
    """The named graphs of the reference data (see the module docstring for the guarantees)."""
    out = _Builder(base_iri).run(data)
    out.problems[:0] = data.problems
    return out
