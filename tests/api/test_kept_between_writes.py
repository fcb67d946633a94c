"""What lists read to choose their items, kept between two writes (api/services/between_writes).

GET /coordinators with an area and a period chooses holdings from their spans of days
(holding_spans.py); GET /meetings, without a State or person, chooses meetings from every
meeting's dates; GET /presidencies?state= reads roles only for a State that held one. Each is
read once per data generation of an embedded store: after any
committed write the list chooses by what the store now says. A remote store (no generation)
and an answer cut by the row cap keep nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, XSD

from ccmkg.api.rest.params import Period, parse_area
from ccmkg.api.rest.runner import Queries
from ccmkg.api.services.holding_spans import chosen_holdings
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app
from tests.api.test_rest_api import BASE, fixture_graphs

CCM = Namespace(f"{BASE}ontology#")
HOLDING = f"{BASE}id/holding/ecu2016"
PASSAGE = URIRef(f"{BASE}id/doc/1111111111111111/passage/50-91")
LATER = f"{BASE}graph/doc/2222222222222222"
YEAR_2018 = {"area": "universalization", "year": "2018"}
UNIVERSALIZATION = parse_area("universalization")
IN_2016 = Period(dt.date(2016, 1, 1), dt.date(2016, 12, 31))


@pytest.fixture
def loaded(store: Store) -> Iterator[Store]:
    store.replace_graphs(fixture_graphs())
    yield store


def _later_attestation() -> Graph:
    """A document of 2019 that attests the 2016 holding again: its span then covers 2018."""
    return _attestation(URIRef(f"{BASE}id/attestation/ecu2016-again"), URIRef(HOLDING))


def _attestation(attestation: URIRef, holding: URIRef) -> Graph:
    """`attestation` of `holding` in a document of 2 May 2019, from the fixture's passage."""
    graph = Graph()
    graph.add((attestation, RDF.type, CCM.Attestation))
    graph.add((attestation, CCM.attests, holding))
    graph.add((attestation, DCTERMS.date, Literal("2019-05-02", datatype=XSD.date)))
    graph.add((attestation, PROV.wasDerivedFrom, PASSAGE))
    return graph


def _ids(client: httpx.Client, params: dict[str, str]) -> set[str]:
    body = client.get("/coordinators", params=params).raise_for_status().json()
    return {item["id"] for item in body["items"]}


def test_a_write_that_moves_a_span_is_seen_by_the_next_period(
    loaded: Store, tmp_path: Path
) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        assert HOLDING in _ids(client, {"area": "universalization", "year": "2016"})
        assert HOLDING not in _ids(client, YEAR_2018)  # (the spans are now held)
        loaded.replace_graphs({LATER: _later_attestation()})
        assert HOLDING in _ids(client, YEAR_2018)
        loaded.replace_graphs({}, delete=[LATER])
        assert HOLDING not in _ids(client, YEAR_2018)


def test_a_state_asked_chooses_its_holdings_only(loaded: Store, tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    in_2016 = {"area": "universalization", "year": "2016"}
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        both = _ids(client, in_2016)
        for iso3 in ("ECU", "ZMB"):
            assert _ids(client, {**in_2016, "state": iso3}) == {
                h for h in both if h.endswith(f"/{iso3.lower()}2016")
            }
        assert len(both) == 2


def test_a_holding_two_documents_give_two_holders_is_chosen_for_either(
    loaded: Store, tmp_path: Path
) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    in_2016 = {"area": "universalization", "year": "2016"}
    other = Graph()
    other.add((URIRef(HOLDING), CCM.holder, URIRef(f"{BASE}id/state/BGR")))
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        assert HOLDING not in _ids(client, {**in_2016, "state": "BGR"})
        loaded.replace_graphs({LATER: other})
        for iso3 in ("BGR", "ECU"):
            assert HOLDING in _ids(client, {**in_2016, "state": iso3})


def _span_reads(caplog: pytest.LogCaptureFixture) -> int:
    return sum("api_holding_days" in r.getMessage() for r in caplog.records)


def test_spans_are_read_once_between_writes_on_the_embedded_store(
    loaded: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ccmkg.api.rest.runner")
    queries = Queries(loaded, Settings(store=str(tmp_path / "unused"), base_iri=BASE))
    first, answers = chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
    assert HOLDING in first and answers and _span_reads(caplog) == 1
    again, answers_again = chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
    assert again == first and answers_again  # a Listing is built from the answers
    held = loaded.kind == "embedded"  # a remote server's data can change behind our back
    assert _span_reads(caplog) == (1 if held else 2)
    loaded.replace_graphs({LATER: _later_attestation()})
    chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
    assert _span_reads(caplog) == (2 if held else 3)


def test_a_caller_adding_to_the_answers_changes_nothing_held(loaded: Store, tmp_path: Path) -> None:
    queries = Queries(loaded, Settings(store=str(tmp_path / "unused"), base_iri=BASE))
    _, answers = chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
    answers.append(queries.run("api_states"))  # as coordinators() adds the area's holdings
    _, again = chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
    assert len(again) == 2  # api_holding_days and api_holding_terms only


def test_spans_cut_by_the_row_cap_are_not_kept_and_the_list_says_so(
    loaded: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ccmkg.api.rest.runner")
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE, max_result_rows=1)
    queries = Queries(loaded, settings)
    for reads in (1, 2):
        _, answers = chosen_holdings(queries, UNIVERSALIZATION, None, IN_2016)
        assert any(answer.truncated for answer in answers)
        assert _span_reads(caplog) == reads
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        body = client.get("/coordinators", params={"area": "universalization", "year": "2016"})
        assert body.raise_for_status().json()["truncated"] is True


def _later_meeting() -> Graph:
    """A Coordination Committee meeting of 2019, from its own document."""
    graph = Graph()
    meeting = URIRef(f"{BASE}id/meeting/coordination-committee-2019-05-02")
    graph.add((meeting, RDF.type, CCM.CoordinationCommitteeMeeting))
    graph.add((meeting, DCTERMS.date, Literal("2019-05-02", datatype=XSD.date)))
    graph.add((meeting, RDFS.label, Literal("Coordination Committee, 2 May 2019")))
    graph.add((meeting, PROV.wasDerivedFrom, PASSAGE))
    return graph


def test_a_meeting_written_is_listed_by_the_next_request_of_its_kind(
    loaded: Store, tmp_path: Path
) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    kind = {"kind": "coordination-committee"}

    def dates(params: dict[str, str]) -> list[str]:
        body = client.get("/meetings", params=params).raise_for_status().json()
        return [item["date"] for item in body["items"]]

    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        before = dates(kind)
        assert before and "2019-05-02" not in before  # (the dates are now held)
        assert dates({**kind, "from": "2019-01-01"}) == []
        loaded.replace_graphs({LATER: _later_meeting()})
        assert dates(kind) == [*before, "2019-05-02"]
        assert dates({**kind, "from": "2019-01-01"}) == ["2019-05-02"]
        loaded.replace_graphs({}, delete=[LATER])
        assert dates(kind) == before


def _zambia_presides() -> Graph:
    """Zambia as President of the 6MSP, attested by a passage of a later document."""
    holding = URIRef(f"{BASE}id/holding/zmb-pres")
    graph = _attestation(URIRef(f"{BASE}id/attestation/zmb-pres"), holding)
    graph.add((holding, RDF.type, CCM.PostHolding))
    graph.add((holding, CCM.holder, URIRef(f"{BASE}id/state/ZMB")))
    graph.add((holding, ORG.role, CCM.President))
    graph.add((holding, CCM.post, URIRef(f"{BASE}id/post/presidency/msp-6")))
    return graph


def test_a_state_that_comes_to_hold_a_presidency_is_listed_by_the_next_request(
    loaded: Store, tmp_path: Path
) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)

    def roles(iso3: str) -> list[tuple[str, str]]:
        body = client.get("/presidencies", params={"state": iso3}).raise_for_status().json()
        return [(item["state"]["iso3"], item["role"]) for item in body["items"]]

    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        assert roles("CHE") == [("CHE", "president")]
        assert roles("ZMB") == []  # (the States that held a role are now held)
        loaded.replace_graphs({LATER: _zambia_presides()})
        assert roles("ZMB") == [("ZMB", "president")]
        assert roles("CHE") == [("CHE", "president")]
        loaded.replace_graphs({}, delete=[LATER])
        assert roles("ZMB") == []
