"""ccm:activeYear on hand-made holdings: every year of the term, plus the attestation's year."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from ccmkg.loaders.emit import CCM, emit
from ccmkg.loaders.records import (
    ActorRef,
    DocumentRecord,
    Extraction,
    MeetingRef,
    Passage,
    PostHoldingRecord,
)

BASE = "https://ccm-kg.org/"
TEXT = "Minutes. Ruritania (2015-2017). Freedonia (2012 and 2013). Ruritania President."


def span(quote: str) -> Passage:
    start = TEXT.index(quote)
    return Passage(start, start + len(quote), quote, "1")


def state(key: str) -> ActorRef:
    return ActorRef("state", key, key.title(), key.title())


def extraction(date: dt.date | None) -> Extraction:
    doc = DocumentRecord(
        sha256="ab" * 32,
        file_name="hand-made.txt",
        family="coordination-committee-minutes",
        title="Minutes",
        date=date,
        date_inferred=False,
        passage=span("Minutes."),
    )
    return Extraction(
        document=doc,
        holdings=[
            PostHoldingRecord(
                state("RUR"), "coordinator", span("Ruritania (2015-2017)"),
                area="universalization", mandate_years=(2015, 2017),
            ),
            PostHoldingRecord(
                state("FRE"), "coordinator", span("Freedonia (2012 and 2013)"),
                area="victim-assistance", mandate_years=(2013, 2012),
            ),
            PostHoldingRecord(
                state("RUR"), "president", span("Ruritania President"),
                meeting=MeetingRef("meeting-of-states-parties", 6, "6MSP"),
            ),
        ],
    )  # fmt: skip


def holding(g: Graph, key: str, role: URIRef) -> URIRef:
    holder = URIRef(f"{BASE}id/state/{key}")
    (node,) = [h for h in g.subjects(CCM.holder, holder) if (h, ORG.role, role) in g]
    return node  # type: ignore[return-value]


def active_years(g: Graph, node: URIRef) -> list[str]:
    values = list(g.objects(node, CCM.activeYear))
    assert all(isinstance(v, Literal) and v.datatype == XSD.gYear for v in values)
    return sorted(str(v) for v in values)


@pytest.fixture(scope="module")
def g() -> Graph:
    return emit(extraction(dt.date(2016, 5, 26)), BASE).graph


def test_every_year_the_term_covers_not_only_the_stated_ones(g: Graph) -> None:
    # Mandate years 2015 and 2017: the term interval runs 2015-01-01..2017-12-31, so 2016 too.
    assert active_years(g, holding(g, "RUR", CCM.Coordinator)) == ["2015", "2016", "2017"]


def test_the_year_of_the_attestation_counts_even_outside_the_term(g: Graph) -> None:
    # Mandate 2012-2013, named in a document dated 2016: the record shows it in 2016 as well.
    assert active_years(g, holding(g, "FRE", CCM.Coordinator)) == ["2012", "2013", "2016"]


def test_a_presidency_is_not_dated_at_the_date_of_a_document_naming_it(g: Graph) -> None:
    # Issue #12: "the 6MSP President" in minutes of 2016 is tied to the 6MSP, not to 2016.
    assert active_years(g, holding(g, "RUR", CCM.President)) == []


def test_an_undated_document_adds_no_attestation_year() -> None:
    g = emit(extraction(None), BASE).graph
    assert active_years(g, holding(g, "RUR", CCM.Coordinator)) == ["2015", "2016", "2017"]
    assert active_years(g, holding(g, "RUR", CCM.President)) == []


def test_active_years_are_exactly_those_derivable_from_the_holding(g: Graph) -> None:
    """The index says nothing the holding's own term and attestations do not say."""
    for node in set(g.subjects(CCM.activeYear, None)):
        derived: set[int] = set()
        for interval in g.objects(node, ORG.memberDuring):
            start, end = g.value(interval, CCM.startDate), g.value(interval, CCM.endDate)
            derived |= set(range(start.toPython().year, end.toPython().year + 1))
        presidency = g.value(node, ORG.role) in (
            CCM.President,
            CCM.PresidentDesignate,
            CCM.PastPresident,
        )
        for attestation in g.subjects(CCM.attests, node):
            if not presidency:  # a presidency's years come from its meeting, not its mentions
                derived.add(g.value(attestation, DCTERMS.date).toPython().year)
        assert active_years(g, node) == sorted(f"{y:04d}" for y in derived)
