"""Each named query on the hand-written fixture graph, on both store backends.

Expected rows are read off tests/queries/data/fixture.trig (see the comments there), not taken
from a previous run.
"""

from __future__ import annotations

from typing import Any

import pytest

from ccmkg.catalogue import Catalogue
from ccmkg.errors import BadParameter
from ccmkg.store import Store

ID = "https://ccm-kg.org/id/"
CCM = "https://ccm-kg.org/ontology#"
UNIV = CCM + "Universalization"
MEETING_2016 = ID + "meeting/coordination-committee-2016-05-26"
MEETING_2012 = ID + "meeting/coordination-committee-2012-01-24"


def project(records: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    """The given columns of each record, as tuples, in result order."""
    return [tuple(r[c] for c in columns) for r in records]


def test_coordinators_in_year_by_attestation(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    rows = run_records(catalogue, fixture_store, "coordinators_in_year", year="2016")
    assert project(rows, "state", "holding", "evidence", "firstAttested") == [
        (ID + "state/ECU", ID + "holding/ecu2016", "attestation", "2016-05-26"),
        (ID + "state/ZMB", ID + "holding/zmb2016", "attestation", "2016-05-26"),
    ]
    assert {r["areaLabel"] for r in rows} == {"Universalization"}
    assert {str(r["year"]) for r in rows} == {"2016"}


def test_coordinators_in_year_by_mandate_and_term(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    # Portugal: mandate years 2012 and 2013, attested only in January 2012.
    rows = run_records(
        catalogue, fixture_store, "coordinators_in_year", year="2013", area="universalization"
    )
    assert [(r["state"], sorted(r["evidence"].split(","))) for r in rows] == [
        (ID + "state/PRT", ["mandate-year", "term"])
    ]
    rows = run_records(catalogue, fixture_store, "coordinators_in_year", year="2012", state="PRT")
    assert [sorted(r["evidence"].split(",")) for r in rows] == [
        ["attestation", "mandate-year", "term"]
    ]


def test_coordinators_in_year_filters(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    assert run_records(catalogue, fixture_store, "coordinators_in_year", year="2014") == []
    assert (
        run_records(
            catalogue, fixture_store, "coordinators_in_year", year="2016", area="victim-assistance"
        )
        == []
    )
    rows = run_records(
        catalogue, fixture_store, "coordinators_in_year", year="2016", state="Zambia"
    )
    assert project(rows, "holding") == [(ID + "holding/zmb2016",)]


def test_coordinators_on_date(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "coordinators_on_date", date="2013-03-01")
    assert project(rows, "state", "evidence") == [(ID + "state/PRT", "term")]
    rows = run_records(catalogue, fixture_store, "coordinators_on_date", date="2016-05-26")
    assert project(rows, "state", "evidence") == [
        (ID + "state/ECU", "attestation"),
        (ID + "state/ZMB", "attestation"),
    ]
    # A day with neither a term nor an attestation.
    assert run_records(catalogue, fixture_store, "coordinators_on_date", date="2016-05-27") == []


def test_coordinators_sources(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "coordinators_sources", year="2016", state="ZMB")
    columns = ("document", "documentTitle", "documentDate", "section", "quote", "start", "end")
    assert project(rows, *columns) == [
        (
            ID + "doc/aaaaaaaaaaaaaaaa", "Minutes A", "2016-05-26", "5.1",
            "5.1 Universalization (Ecuador and Zambia)", 100, 140,
        )
    ]  # fmt: skip


def test_state_role_timeline(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "state_role_timeline", state="NLD")
    assert project(rows, "role", "post", "meeting", "area", "firstAttested") == [
        (CCM + "President", ID + "post/presidency/msp-6", ID + "meeting/msp-6", None, "2016-05-26")
    ]
    rows = run_records(catalogue, fixture_store, "state_role_timeline", state="PRT")
    assert project(rows, "role", "area", "termStart", "termEnd") == [
        (CCM + "Coordinator", UNIV, "2012-01-01", "2013-12-31")
    ]


def test_presidencies_in_order(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    rows = run_records(catalogue, fixture_store, "presidencies_in_order")
    assert project(rows, "state", "post", "meetingLabel", "ordinal", "firstAttested") == [
        (ID + "state/LBN", ID + "post/presidency/convention", None, None, "2012-01-24"),
        (ID + "state/NLD", ID + "post/presidency/msp-6", "6MSP", 6, "2016-05-26"),
    ]


def test_attendance_of_state(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "attendance_of_state", state="ZMB")
    assert project(rows, "meeting", "meetingDate", "status") == [
        (MEETING_2016, "2016-05-26", "present"),
        (ID + "meeting/coordination-committee-2021-12-01", "2021-12-01", "present"),
    ]
    rows = run_records(catalogue, fixture_store, "attendance_of_state", state="HRV")
    assert project(rows, "status", "document") == [
        ("apologies-not-received", ID + "doc/aaaaaaaaaaaaaaaa")
    ]


def test_attendance_of_person(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(
        catalogue, fixture_store, "attendance_of_person", person=ID + "person/anna-berg"
    )
    assert project(rows, "meeting", "delegation", "role") == [
        (MEETING_2012, ID + "state/PRT", None),
        (MEETING_2016, ID + "org/ICRC", "Legal adviser"),
    ]


def test_persons_affiliations(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "persons_affiliations")
    assert project(rows, "name", "delegation", "firstMeeting", "meetings") == [
        ("Anna Berg", ID + "state/PRT", "2012-01-24", 1),
        ("Anna Berg", ID + "org/ICRC", "2016-05-26", 1),
        ("Henk de Vries", ID + "state/NLD", "2016-05-26", 1),
    ]


def test_meetings_chaired_by_presidency(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    rows = run_records(catalogue, fixture_store, "meetings_chaired_by_presidency")
    assert project(rows, "state", "meeting", "chair") == [
        (ID + "state/LBN", MEETING_2012, None),
        (ID + "state/NLD", MEETING_2016, ID + "state/NLD"),
    ]
    rows = run_records(catalogue, fixture_store, "meetings_chaired_by_presidency", state="LBN")
    assert project(rows, "meeting") == [(MEETING_2012,)]


def test_obligation_events(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    expected = [
        (4, ID + "state/IRQ", CCM + "ExtensionRequestAnnounced", CCM + "Clearance", "2021-12-01")
    ]
    columns = ("article", "state", "eventType", "obligationType", "date")
    for params in ({}, {"article": "4"}, {"state": "IRQ"}, {"article": "4", "state": "iraq"}):
        rows = run_records(catalogue, fixture_store, "obligation_events_by_article_state", **params)
        assert project(rows, *columns) == expected, params
    assert (
        run_records(catalogue, fixture_store, "obligation_events_by_article_state", article="3")
        == []
    )
    assert (
        run_records(catalogue, fixture_store, "obligation_events_by_article_state", state="ZMB")
        == []
    )


def test_conflicts_in_record(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "conflicts_in_record")
    ABOUT = "date of the minutes approved"
    assert project(rows, "about", "claim", "quote", "start") == [
        (ABOUT, ID + "minutes-approval/m1", "Approval of the Minutes of 28 March 2016", 200),
        (ABOUT, ID + "minutes-approval/m2", "Meeting held on 28 April 2016", 240),
    ]
    assert sorted(rows[0]["claimedValues"].split(" | ")) == ["2016-03-28", "2016-04-28"]


def test_fact_source(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "fact_source", fact=ID + "holding/prt2012")
    assert project(rows, "document", "documentDate", "quote", "start", "end") == [
        (
            ID + "doc/bbbbbbbbbbbbbbbb",
            "2012-01-24",
            "Portugal (Universalisation in 2012 and 2013)",
            50,
            90,
        )
    ]
    assert run_records(catalogue, fixture_store, "fact_source", fact=ID + "holding/none") == []


def test_attendance_counts_by_state_year(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    rows = run_records(catalogue, fixture_store, "attendance_counts_by_state_year")
    assert sorted(project(rows, "state", "year", "meetings")) == sorted([
        (ID + "state/LBN", 2012, 1), (ID + "state/PRT", 2012, 1), (ID + "org/ICRC", 2016, 1),
        (ID + "state/NLD", 2016, 1), (ID + "state/ZMB", 2016, 1), (ID + "state/ZMB", 2021, 1),
    ])  # fmt: skip
    rows = run_records(
        catalogue, fixture_store, "attendance_counts_by_state_year", state="ZMB", year="2021"
    )
    assert project(rows, "state", "year", "meetings") == [(ID + "state/ZMB", 2021, 1)]


def test_meetings_list(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "meetings_list")
    assert sorted(project(rows, "meeting", "date", "documents")) == [
        (MEETING_2012, "2012-01-24", 1),
        (MEETING_2016, "2016-05-26", 1),
        (ID + "meeting/coordination-committee-2021-12-01", "2021-12-01", 1),
        (ID + "meeting/msp-6", None, 0),
    ]
    rows = run_records(
        catalogue, fixture_store, "meetings_list", kind=CCM + "MeetingOfStatesParties"
    )
    assert project(rows, "meeting", "label") == [(ID + "meeting/msp-6", "6MSP")]


def test_meeting_attendees(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "meeting_attendees", meeting=MEETING_2016)
    assert project(rows, "status", "delegation", "name", "honorific", "role") == [
        ("apologies-not-received", ID + "state/HRV", None, None, None),
        ("apologies-received", ID + "state/ECU", None, None, None),
        ("present", ID + "org/ICRC", "Anna Berg", None, "Legal adviser"),
        ("present", ID + "state/NLD", "Henk de Vries", "H.E.", None),
        ("present", ID + "state/ZMB", None, None, None),
    ]


def test_actors_search(catalogue: Catalogue, fixture_store: Store, run_records: Any) -> None:
    rows = run_records(catalogue, fixture_store, "actors_search", text="BERG")
    assert project(rows, "actor", "kind", "label") == [
        (ID + "person/anna-berg", CCM + "Person", "Anna Berg")
    ]
    rows = run_records(catalogue, fixture_store, "actors_search", text="zmb")
    assert project(rows, "actor", "kind") == [(ID + "state/ZMB", CCM + "State")]


def test_values_are_bound_not_pasted(
    catalogue: Catalogue, fixture_store: Store, run_records: Any
) -> None:
    """A value that would break the query if pasted is matched literally instead."""
    hostile = 'x")) } UNION { ?actor ?p ?o } #'
    assert run_records(catalogue, fixture_store, "actors_search", text=hostile) == []


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "needs parameter 'year'"),
        ({"year": "16"}, "not a year"),
        ({"year": "2016", "area": "nowhere"}, "unknown thematic area"),
        ({"year": "2016", "state": "QQQ"}, "not a State the gazetteer knows"),
        ({"year": "2016", "colour": "red"}, "has no parameter 'colour'"),
    ],
)
def test_bad_parameters(
    catalogue: Catalogue, fixture_store: Store, run_records: Any, params: dict, fragment: str
) -> None:
    with pytest.raises(BadParameter, match=fragment):
        catalogue.run(fixture_store, "coordinators_in_year", params)
