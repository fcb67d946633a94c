"""The named queries on the bundled corpus, loaded by the real pipeline, on both backends.

Every expected row below was read off the documents in corpus/ by a person (file, section),
not taken from a run of the query. A failure means the loaders or a query misread the record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccmkg.catalogue import Catalogue, to_records
from ccmkg.loaders.pipeline import load_paths
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from ccmkg.store.remote import RemoteStore

ID = "https://ccm-kg.org/id/"
CCM = "https://ccm-kg.org/ontology#"


def state(iso3: str) -> str:
    return f"{ID}state/{iso3}"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def corpus_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The five corpus documents, loaded once per backend for this module."""
    if request.param == "embedded":
        settings = Settings(store=str(tmp_path_factory.mktemp("corpus") / "store"), query_workers=1)
    else:
        base = request.getfixturevalue("oxigraph_server")
        settings = Settings(store=f"{base}/query", store_update_url=f"{base}/update")
    store = open_store(settings)
    if isinstance(store, RemoteStore):
        store.clear()
    load_paths(store, settings, corpus_files())
    yield store
    if isinstance(store, RemoteStore):
        store.clear()
    store.close()


def rows(catalogue: Catalogue, store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    return to_records(catalogue.run(store, name, params))


def pairs(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(area local name, ISO3) of coordinator rows."""
    return {(r["area"].rsplit("#", 1)[1], r["state"].rsplit("/", 1)[1]) for r in records}


# 000: CC minutes of 26 May 2016, section 5 (5.1-5.8) names the coordinators of each area.
COORDINATORS_2016 = {
    ("Universalization", "ECU"), ("Universalization", "ZMB"),
    ("ClearanceAndRiskReduction", "BIH"), ("ClearanceAndRiskReduction", "NOR"),
    ("StockpileDestructionAndRetention", "FRA"), ("StockpileDestructionAndRetention", "MEX"),
    ("CooperationAndAssistance", "AUT"), ("CooperationAndAssistance", "IRQ"),
    ("TransparencyMeasures", "CRI"),
    ("VictimAssistance", "AUS"), ("VictimAssistance", "CHL"),
    ("NationalImplementationMeasures", "NZL"),
    ("GeneralStatusAndOperation", "CZE"), ("GeneralStatusAndOperation", "CHE"),
}  # fmt: skip
# 002: CC minutes of 24 January (2012), list of attendees: "(… in 2012 and 2013)".
COORDINATORS_2013 = {
    ("GeneralStatusAndOperation", "ZMB"), ("Universalization", "PRT"),
    ("VictimAssistance", "BIH"), ("ClearanceAndRiskReduction", "IRL"),
    ("StockpileDestructionAndRetention", "HRV"), ("CooperationAndAssistance", "ESP"),
    ("CooperationAndAssistance", "MEX"), ("TransparencyMeasures", "BEL"),
    ("NationalImplementationMeasures", "NZL"),
}  # fmt: skip
# 001: CC minutes of 1 December 2021, sections 5, 6.1-6.6 and 8.2.
COORDINATORS_2021 = {
    ("Universalization", "PHL"), ("Universalization", "ESP"),
    ("VictimAssistance", "CHL"), ("VictimAssistance", "MEX"),
    ("CooperationAndAssistance", "DEU"), ("CooperationAndAssistance", "MNE"),
    ("ClearanceAndRiskReduction", "GUY"), ("ClearanceAndRiskReduction", "SWE"),
    ("TransparencyMeasures", "IRQ"),
    ("StockpileDestructionAndRetention", "AUS"), ("StockpileDestructionAndRetention", "BGR"),
    ("GeneralStatusAndOperation", "FRA"), ("GeneralStatusAndOperation", "NAM"),
    ("NationalImplementationMeasures", "NZL"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "expected"),
    [("2016", COORDINATORS_2016), ("2013", COORDINATORS_2013), ("2021", COORDINATORS_2021)],
)
def test_coordinators_in_year(
    catalogue: Catalogue, corpus_store: Store, year: str, expected: set[tuple[str, str]]
) -> None:
    got = rows(catalogue, corpus_store, "coordinators_in_year", year=year)
    assert pairs(got) == expected
    # Found through the ccm:activeYear index; each holding also has its own evidence for the year.
    assert all(r["evidence"] for r in got)


def test_coordinators_2012_include_single_year_mandates(
    catalogue: Catalogue, corpus_store: Store
) -> None:
    # 002: Holy See and Japan "in 2012", Germany "in 2012," – on top of the 2012-2013 ones.
    got = pairs(rows(catalogue, corpus_store, "coordinators_in_year", year="2012"))
    assert got == COORDINATORS_2013 | {
        ("GeneralStatusAndOperation", "VAT"), ("Universalization", "JPN"),
        ("StockpileDestructionAndRetention", "DEU"),
    }  # fmt: skip


def test_coordinators_on_date(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(
        catalogue, corpus_store, "coordinators_on_date", date="2016-05-26", area="universalization"
    )
    assert pairs(got) == {("Universalization", "ECU"), ("Universalization", "ZMB")}


def test_coordinators_sources_cite_the_passage(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "coordinators_sources", year="2016", state="ZMB")
    assert got, "Zambia coordinated Universalization in 2016 (000, 5.1)"
    assert all(r["documentDate"] == "2016-05-26" for r in got)
    assert any("Zambia" in r["quote"] for r in got)
    text = (corpus_files()[0]).read_text(encoding="utf-8")
    for r in got:
        assert text[r["start"] : r["end"]] == r["quote"]


def _texts_by_sha256() -> dict[str, str]:
    return {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.read_text(encoding="utf-8")
        for path in corpus_files()
    }


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("coordinators_of_area_sources", {"area": "universalization"}),
        ("presidencies_sources", {}),
    ],
)
def test_sources_quote_their_document(
    catalogue: Catalogue, corpus_store: Store, name: str, params: dict[str, str]
) -> None:
    """Every document passage the `*_sources` queries give is its file's text at its offsets."""
    texts = _texts_by_sha256()
    got = [r for r in rows(catalogue, corpus_store, name, **params) if r.get("document")]
    assert got, f"{name}: no document passage in the corpus"
    for r in got:
        assert texts[r["documentId"]][r["start"] : r["end"]] == r["quote"], r


def test_presidencies_in_order(catalogue: Catalogue, corpus_store: Store) -> None:
    # 004 (1 Feb 2011) "Friends of the President of the 1MSP", "The Lao Presidency"; 002
    # "Lebanon (President)"; 000 "The Netherlands – 6MSP President"; 001 (1 Dec 2021)
    # "United Kingdom – 10MSP President", "Germany, in its capacity as 7MSP Presidency",
    # "the Swiss Presidency" (Switzerland – Immediate Past President (2RC)).
    got = rows(catalogue, corpus_store, "presidencies_in_order")
    assert [r["state"] for r in got][:3] == [state("LAO"), state("LBN"), state("NLD")]
    assert {r["state"] for r in got[3:]} == {state("DEU"), state("CHE"), state("GBR")}
    assert [r["firstAttested"] for r in got[3:]] == ["2021-12-01"] * (len(got) - 3)
    numbered = [r["meetingLabel"] for r in got if r["meetingLabel"]]
    assert numbered == ["1MSP", "6MSP", "7MSP", "10MSP"]


def test_state_role_timeline_of_iraq(catalogue: Catalogue, corpus_store: Store) -> None:
    # 000 5.4: Cooperation and Assistance; 001: President-Designate (11MSP), 6.4 Transparency.
    got = rows(catalogue, corpus_store, "state_role_timeline", state="IRQ")
    roles = {(r["role"].rsplit("#", 1)[1], (r["area"] or "").rsplit("#", 1)[-1]) for r in got}
    assert roles == {
        ("Coordinator", "CooperationAndAssistance"),
        ("Coordinator", "TransparencyMeasures"),
        ("PresidentDesignate", ""),
    }


def test_attendance_of_new_zealand(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "attendance_of_state", state="NZL")
    assert [(r["meetingDate"], r["status"]) for r in got] == [
        ("2012-01-24", "present"),
        ("2016-05-26", "apologies-received"),
        ("2021-12-01", "apologies-received"),
    ]


def test_attendance_of_croatia(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "attendance_of_state", state="HRV")
    assert [(r["meetingDate"], r["status"]) for r in got] == [
        ("2012-01-24", "present"),
        ("2016-05-26", "apologies-not-received"),
    ]


def test_attendance_counts_of_mexico(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "attendance_counts_by_state_year", state="MEX")
    assert [(r["year"], r["meetings"]) for r in got] == [(2012, 1), (2016, 1), (2021, 1)]


def test_person_changes_delegation(catalogue: Catalogue, corpus_store: Store) -> None:
    # Mr. Emad Al-Juhaishi sits for Iraq in 2016 (000) and for the ISU in 2021 (001).
    found = rows(catalogue, corpus_store, "actors_search", text="Juhaishi")
    persons = [r["actor"] for r in found if r["kind"] == CCM + "Person"]
    assert len(persons) == 1
    got = rows(catalogue, corpus_store, "persons_affiliations", person=persons[0])
    assert [(r["delegation"].rsplit("/", 1)[1], r["firstMeeting"]) for r in got] == [
        ("IRQ", "2016-05-26"),
        ("ISU", "2021-12-01"),
    ]
    meetings = rows(catalogue, corpus_store, "attendance_of_person", person=persons[0])
    assert [r["meetingDate"] for r in meetings] == ["2016-05-26", "2021-12-01"]


def test_meeting_attendees_2016(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(
        catalogue, corpus_store, "meeting_attendees",
        meeting=f"{ID}meeting/coordination-committee-2016-05-26",
    )  # fmt: skip
    by_status: dict[str, set[str]] = {}
    for r in got:
        by_status.setdefault(r["status"], set()).add(r["delegation"].rsplit("/", 1)[1])
    assert by_status == {
        "present": {"NLD", "AUS", "AUT", "CHL", "CRI", "CZE", "FRA", "IRQ", "MEX", "NOR", "CHE",
                    "ZMB", "CMC", "ICRC", "UNODA", "ISU"},
        "apologies-received": {"BIH", "ECU", "NZL"},
        "apologies-not-received": {"HRV"},
    }  # fmt: skip


def test_meetings_list(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "meetings_list")
    dated = {(r["kind"].rsplit("#", 1)[1], r["date"]) for r in got if r["documents"]}
    assert dated == {
        ("FriendsOfThePresidentMeeting", "2011-02-01"),
        ("CoordinationCommitteeMeeting", "2012-01-24"),
        ("CoordinationCommitteeMeeting", "2016-05-26"),
        ("CoordinationCommitteeMeeting", "2021-12-01"),
        ("ReviewConference", "2020-11-23"),
    }


def test_meetings_chaired_by_the_netherlands(catalogue: Catalogue, corpus_store: Store) -> None:
    got = rows(catalogue, corpus_store, "meetings_chaired_by_presidency", state="NLD")
    assert [r["meetingDate"] for r in got] == ["2016-05-26"]


def test_article_4_events(catalogue: Catalogue, corpus_store: Store) -> None:
    # 001 8.4: Afghanistan (a), Bosnia and Herzegovina (b), Iraq (c); 6.2: a country coalition
    # "to assist Mauritania in its clearance obligations".
    got = rows(catalogue, corpus_store, "obligation_events_by_article_state", article="4")
    assert {r["state"].rsplit("/", 1)[1] for r in got} == {"AFG", "BIH", "IRQ", "MRT"}
    iraq = rows(
        catalogue, corpus_store, "obligation_events_by_article_state", article="4", state="IRQ"
    )
    assert CCM + "ExtensionRequestAnnounced" in {r["eventType"] for r in iraq}


def test_conflicting_minutes_dates(catalogue: Catalogue, corpus_store: Store) -> None:
    # 000 section 3: "Minutes of 28 March 2016" vs "Meeting held on 28 April 2016".
    got = rows(catalogue, corpus_store, "conflicts_in_record")
    values = {frozenset(r["claimedValues"].split(" | ")) for r in got}
    assert any({"2016-03-28", "2016-04-28"} <= v for v in values)


def test_fact_source_of_a_holding(catalogue: Catalogue, corpus_store: Store) -> None:
    holding = rows(catalogue, corpus_store, "coordinators_in_year", year="2016", state="CRI")
    assert len(holding) == 1
    got = rows(catalogue, corpus_store, "fact_source", fact=holding[0]["holding"])
    assert got and all(Path(r["fileName"]).name == corpus_files()[0].name for r in got)
    assert any("Costa Rica" in r["quote"] for r in got)
