"""Synthetic CCM-shaped datasets of any size, for benchmarks: deterministic N-Quads from a seed.

The shapes are those loaders/emit.py writes (ontology/ccm.ttl, IRI policy of ontology/README.md):
one named graph per minutes document; ≈200 States by ISO 3166-1 alpha-3; numbered MSPs with a
President each; Coordination Committee meetings every year with attendance, participations
(persons that sometimes change delegation), apologies, coordinator attestations; coordinator
holdings with two mandate years and a term interval (two per area, one renewed each year);
obligation events under Articles 3, 4 and 7; now and then a conflict. Every fact node is
prov:wasDerivedFrom a ccm:Passage with its selectors; every holding carries ccm:activeYear.
The stores keep the default graph as the de-duplicated union of the named graphs: `with_union`
and `--union` give benchmarks that layout.

    python bench/synth.py --triples 1000000 --seed 7 -o /tmp/ccm-1m.nq           # named graphs
    python bench/synth.py --triples 1000000 --union -o /tmp/ccm-1m-union.nq      # + default graph
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pycountry
import pyoxigraph as ox

BASE = "https://ccm-kg.org/"
CCM = "https://ccm-kg.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
FOAF = "http://xmlns.com/foaf/0.1/"

AREAS = [
    "GeneralStatusAndOperation", "Universalization", "VictimAssistance",
    "ClearanceAndRiskReduction", "StockpileDestructionAndRetention", "CooperationAndAssistance",
    "NationalImplementationMeasures", "TransparencyMeasures",
]  # fmt: skip
AREA_SLUGS = {
    "GeneralStatusAndOperation": "general-status-and-operation",
    "Universalization": "universalization",
    "VictimAssistance": "victim-assistance",
    "ClearanceAndRiskReduction": "clearance-and-risk-reduction",
    "StockpileDestructionAndRetention": "stockpile-destruction-and-retention",
    "CooperationAndAssistance": "cooperation-and-assistance",
    "NationalImplementationMeasures": "national-implementation-measures",
    "TransparencyMeasures": "transparency-measures",
}
ORGS = ["ICRC", "CMC", "UNODA", "ISU", "GICHD"]
EVENTS = [
    (3, "StockpileDestruction", "CompletionDeclared"),
    (3, "StockpileDestruction", "ExtensionRequested"),
    (4, "Clearance", "ExtensionRequestAnnounced"),
    (4, "Clearance", "ExtensionGranted"),
    (4, "Clearance", "ImplementationUpdate"),
    (7, "AnnualReport", "ReportOverdue"),
    (7, "InitialReport", "ReportSubmitted"),
]
FIRST_YEAR = 2010
TRIPLES_PER_MEETING = 2450  # distinct quads per minutes document, measured; sizes the run


def h16(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def iri(path: str) -> str:
    return f"<{BASE}{path}>"


def c(local: str) -> str:
    return f"<{CCM}{local}>"


def lit(value: object, dtype: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"^^<{XSD}{dtype}>' if dtype else f'"{text}"'


class Writer:
    """Collects the quads of one named graph at a time; counts what it emits."""

    def __init__(self) -> None:
        self.count = 0
        self.graph = ""
        self.lines: list[str] = []

    def q(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} <{p}> {o} {self.graph} .\n")
        self.count += 1

    def flush(self) -> list[str]:
        out, self.lines = self.lines, []
        return out


class Synth:
    """One synthetic record: States, persons and the per-year machinery, then the meetings."""

    def __init__(self, target_triples: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.w = Writer()
        countries = sorted(pycountry.countries, key=lambda x: x.alpha_3)
        self.states = [(x.alpha_3, x.name) for x in countries][:200]
        self.meetings = max(4, round(target_triples / TRIPLES_PER_MEETING))
        self.years = max(2, min(40, self.meetings // 8))  # decades of meetings
        self.per_year = -(-self.meetings // self.years)
        # Persons: three per delegation; a tenth of them later move to another delegation.
        delegations = [("state", s) for s, _ in self.states] + [("org", o) for o in ORGS]
        self.persons = {d: [f"{d[1].lower()}-delegate-{i}" for i in range(3)] for d in delegations}
        self.delegations = delegations
        self.coordinators = self._coordinators()

    def _coordinators(self) -> dict[int, list[tuple[str, str, int]]]:
        """year → [(area, ISO3, first mandate year)]: two per area, one renewed each year."""
        out: dict[int, list[tuple[str, str, int]]] = {}
        for area in AREAS:
            for start in range(FIRST_YEAR - 1, FIRST_YEAR + self.years):
                state = self.rng.choice(self.states)[0]
                for y in (start, start + 1):
                    out.setdefault(y, []).append((area, state, start))
        return out

    # --- helpers --------------------------------------------------------------------------

    def passage(self, doc: str, cursor: list[int], quote: str, section: str) -> str:
        start = cursor[0]
        end = start + len(quote)
        cursor[0] = end + 1
        p = f"id/doc/{doc}/passage/{start}-{end}"
        w = self.w
        w.q(iri(p), RDF_TYPE, c("Passage"))
        w.q(iri(p), OA + "hasSource", iri(f"id/doc/{doc}"))
        w.q(iri(p), CCM + "section", lit(section))
        w.q(iri(p), OA + "hasSelector", iri(p + "#quote"))
        w.q(iri(p), OA + "hasSelector", iri(p + "#position"))
        w.q(iri(p + "#quote"), RDF_TYPE, f"<{OA}TextQuoteSelector>")
        w.q(iri(p + "#quote"), OA + "exact", lit(quote))
        w.q(iri(p + "#position"), RDF_TYPE, f"<{OA}TextPositionSelector>")
        w.q(iri(p + "#position"), OA + "start", lit(start, "nonNegativeInteger"))
        w.q(iri(p + "#position"), OA + "end", lit(end, "nonNegativeInteger"))
        return iri(p)

    def fact(self, kind: str, cls: str, passage: str, *key: object) -> str:
        node = iri(f"id/{kind}/{h16(*key)}")
        self.w.q(node, RDF_TYPE, c(cls))
        self.w.q(node, PROV + "wasDerivedFrom", passage)
        return node

    def actor(self, kind: str, key: str) -> str:
        node = iri(f"id/{kind}/{key}")
        self.w.q(node, RDF_TYPE, c("State" if kind == "state" else "Organization"))
        label = dict(self.states).get(key, key) if kind == "state" else key
        self.w.q(node, RDFS + "label", lit(label))
        self.w.q(node, CCM + ("iso3" if kind == "state" else "acronym"), lit(key))
        return node

    # --- one document: minutes of one Coordination Committee meeting ---------------------

    def minutes(self, year: int, index: int) -> None:
        rng, w = self.rng, self.w
        day = f"{year}-{1 + index * 12 // self.per_year:02d}-{1 + (index * 7) % 27:02d}"
        doc = hashlib.sha256(f"synthetic|{self.seed}|{day}|{index}".encode()).hexdigest()
        sha16 = doc[:16]
        w.graph = iri(f"graph/doc/{sha16}")
        cursor = [0]
        d = iri(f"id/doc/{sha16}")
        w.q(d, RDF_TYPE, c("Document"))
        w.q(d, CCM + "sha256", lit(doc))
        w.q(d, CCM + "fileName", lit(f"synthetic-{day}-{index}.txt"))
        w.q(d, DCT + "title", lit(f"Minutes of the Coordination Committee, {day}"))
        w.q(d, DCT + "date", lit(day, "date"))
        w.q(d, CCM + "documentFamily", c("CoordinationCommitteeMinutes"))
        w.q(d, PROV + "wasDerivedFrom", self.passage(sha16, cursor, f"MINUTES {day}", "title"))
        m = iri(f"id/meeting/coordination-committee-{day}")
        w.q(m, RDF_TYPE, c("CoordinationCommitteeMeeting"))
        w.q(m, DCT + "date", lit(day, "date"))
        w.q(m, CCM + "venue", lit("Geneva"))
        w.q(m, PROV + "wasDerivedFrom", self.passage(sha16, cursor, f"Held on {day}", "1"))
        w.q(d, CCM + "recordsMeeting", m)

        msp = year - FIRST_YEAR + 1
        president = self.states[(msp * 37) % len(self.states)][0]
        w.q(m, CCM + "chair", self.actor("state", president))
        # Attendance: the President, the coordinators of the year, some others, the observers.
        coordinators = self.coordinators.get(year, [])
        present = {("state", president)} | {("state", s) for _, s, _ in coordinators}
        present |= {d for d in rng.sample(self.delegations, 12)}
        present |= {("org", o) for o in ORGS[:4]}
        for kind, key in sorted(present):
            actor = self.actor(kind, key)
            p = self.passage(sha16, cursor, f"{key} present", "1")
            att = self.fact("attendance", "Attendance", p, m, actor)
            w.q(att, CCM + "delegation", actor)
            w.q(att, CCM + "atMeeting", m)
            for person in rng.sample(self.persons[(kind, key)], 2):
                if rng.random() < 0.1:  # someone sitting for another delegation this time
                    person = rng.choice(self.persons[rng.choice(self.delegations)])
                pn = iri(f"id/person/{person}")
                w.q(pn, RDF_TYPE, c("Person"))
                w.q(pn, FOAF + "name", lit(person.replace("-", " ").title()))
                w.q(pn, CCM + "nameKey", lit(person))
                pp = self.passage(sha16, cursor, f"Ms. {person}", "1")
                part = self.fact("participation", "Participation", pp, m, actor, pn)
                w.q(part, CCM + "participant", pn)
                w.q(part, CCM + "delegation", actor)
                w.q(part, ORG + "organization", actor)
                w.q(part, CCM + "inAttendance", att)
                w.q(part, CCM + "atMeeting", m)
        for kind, key in rng.sample(self.delegations, 3):
            if (kind, key) in present:
                continue
            actor = self.actor(kind, key)
            p = self.passage(sha16, cursor, f"apologies: {key}", "1")
            ap = self.fact("apology", "Apology", p, m, actor)
            w.q(ap, CCM + "delegation", actor)
            w.q(ap, CCM + "atMeeting", m)
            w.q(
                ap,
                CCM + "apologyReceived",
                lit("true" if rng.random() < 0.8 else "false", "boolean"),
            )

        # Presidency of the MSP of the year, attested by these minutes.
        post = iri(f"id/post/presidency/msp-{msp}")
        meeting = iri(f"id/meeting/msp-{msp}")
        w.q(post, RDF_TYPE, c("PresidencyPost"))
        w.q(post, CCM + "presidencyOf", meeting)
        w.q(meeting, RDF_TYPE, c("MeetingOfStatesParties"))
        w.q(meeting, CCM + "ordinal", lit(msp, "integer"))
        w.q(meeting, RDFS + "label", lit(f"{msp}MSP"))
        p = self.passage(sha16, cursor, f"{president} - {msp}MSP President", "1")
        self.holding(self.actor("state", president), post, "President", str(year), p, d, day, ())

        # Coordinators report, each attested by its section heading.
        for n, (area, state, first) in enumerate(coordinators):
            slug = AREA_SLUGS[area]
            cpost = iri(f"id/post/coordinator/{slug}")
            w.q(cpost, RDF_TYPE, c("CoordinatorPost"))
            w.q(cpost, CCM + "coversArea", c(area))
            p = self.passage(sha16, cursor, f"5.{n} {area} ({state})", f"5.{n}")
            years = (first, first + 1)
            self.holding(
                self.actor("state", state), cpost, "Coordinator", f"{first}-{first + 1}", p, d,
                day, years,
            )  # fmt: skip

        # A few obligation events.
        for _ in range(3):
            article, otype, event = rng.choice(EVENTS)
            state = rng.choice(self.states)[0]
            actor = self.actor("state", state)
            obligation = iri(f"id/obligation/{state}/{otype}")
            p = self.passage(sha16, cursor, f"{state}: {event} (Article {article})", "8")
            w.q(obligation, RDF_TYPE, c("Obligation"))
            w.q(obligation, CCM + "obligedState", actor)
            w.q(obligation, CCM + "obligationType", c(otype))
            w.q(obligation, PROV + "wasDerivedFrom", p)
            ev = self.fact("obligation-event", "ObligationEvent", p, obligation, event, day, p)
            w.q(ev, CCM + "ofObligation", obligation)
            w.q(ev, CCM + "eventType", c(event))
            w.q(ev, CCM + "underArticle", c(f"Article{article}"))
            w.q(ev, DCT + "date", lit(day, "date"))
            w.q(ev, CCM + "text", lit(f"{event} by {state}"))
            w.q(ev, CCM + "inDocument", d)

        # Now and then, two claims about the minutes approved.
        if rng.random() < 0.05:
            p1 = self.passage(sha16, cursor, "Approval of the minutes of 1 March", "3")
            p2 = self.passage(sha16, cursor, "held on 1 April", "3")
            claims = []
            for p, value in ((p1, f"{year}-03-01"), (p2, f"{year}-04-01")):
                ma = self.fact("minutes-approval", "MinutesApproval", p, m, value, p)
                w.q(ma, CCM + "approvedMinutesDate", lit(value, "date"))
                w.q(ma, CCM + "atMeeting", m)
                claims.append((ma, value))
            conflict = self.fact("conflict", "Conflict", p1, d, "date of the minutes approved")
            w.q(conflict, PROV + "wasDerivedFrom", p2)
            w.q(conflict, CCM + "conflictAbout", lit("date of the minutes approved"))
            for ma, value in claims:
                w.q(conflict, CCM + "conflictingClaim", ma)
                w.q(conflict, CCM + "claimedValue", lit(value))

    def holding(
        self, holder: str, post: str, role: str, term: str, passage: str, doc: str, day: str,
        years: tuple[int, ...],
    ) -> None:  # fmt: skip
        w = self.w
        node = self.fact("holding", "PostHolding", passage, holder, post, c(role), term)
        w.q(node, CCM + "holder", holder)
        w.q(node, CCM + "post", post)
        w.q(node, ORG + "role", c(role))
        w.q(node, CCM + "termBasis", lit("mandate-years" if years else "presidency"))
        if years:
            for y in years:
                w.q(node, CCM + "mandateYear", lit(f"{y:04d}", "gYear"))
            interval = node[:-1] + "#term>"
            w.q(node, ORG + "memberDuring", interval)
            w.q(interval, RDF_TYPE, f"<{TIME}Interval>")
            w.q(interval, CCM + "startDate", lit(f"{years[0]}-01-01", "date"))
            w.q(interval, CCM + "endDate", lit(f"{years[-1]}-12-31", "date"))
        att = self.fact("attestation", "Attestation", passage, node, passage)
        w.q(att, CCM + "attests", node)
        w.q(att, CCM + "inDocument", doc)
        w.q(att, DCT + "date", lit(day, "date"))
        # As loaders/emit.py: every year the term covers, and the year of this attestation.
        active = set(range(years[0], years[-1] + 1)) if years else set()
        for y in sorted(active | {int(day[:4])}):
            w.q(node, CCM + "activeYear", lit(f"{y:04d}", "gYear"))

    def generate(self) -> Iterator[str]:
        for year in range(FIRST_YEAR, FIRST_YEAR + self.years):
            for index in range(self.per_year):
                self.minutes(year, index)
                yield from self.w.flush()


def generate(target_triples: int, seed: int = 7) -> Iterator[str]:
    """N-Quads lines of a dataset of about `target_triples` quads (same seed, same lines)."""
    return Synth(target_triples, seed).generate()


def write(path: Path, target_triples: int, seed: int = 7) -> int:
    """Write the named graphs to `path`; returns the number of quads written."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for line in generate(target_triples, seed):
            out.write(line)
            n += 1
    return n


def with_union(nquads: Path, store: ox.Store | None = None) -> ox.Store:
    """A pyoxigraph store holding the named graphs of `nquads` AND, in the default graph, their
    de-duplicated union: the layout our stores keep (docs/decisions/store.md), so that
    benchmarks see each triple once, as the real store would hold it."""
    store = store if store is not None else ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    named = store.quads_for_pattern(None, None, None, None)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in named)
    return store


def write_with_union(path: Path, nquads: Path) -> int:
    """`nquads` plus the default-graph union, as one N-Quads file (for `oxigraph load`,
    rdflib, or any server loaded from a file); returns the number of quads."""
    store = with_union(nquads)
    path.write_bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b"")
    return len(store)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="approximate size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file")
    parser.add_argument(
        "--union",
        action="store_true",
        help="add the default graph (the named graphs' union)",
    )
    args = parser.parse_args(argv)
    n = write(args.output, args.triples, args.seed)
    if args.union:
        n = write_with_union(args.output, args.output)
    print(f"{n} quads → {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
