"""Derived facts follow an upload: POST /ingest runs the rules again, DELETE /ingest too.

Over real HTTP, on the corpus and its reference data, on both backends. The upload is a
deposit of an instrument for a State the reference data knows only as a signatory (found in
the store, not named here), on a made-up day far from every real one: the entry into force
(Article 17) and the deadlines that follow from it must appear with the upload and go with it.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from ccmkg.ingest import rederive
from ccmkg.loaders.pipeline import load_paths
from ccmkg.loaders.reference.load import load_reference
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import package_validator
from devtools.server import serve_app

TOKEN = "rules-token"
AUTH = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
DEPOSIT_DAY = "2031-03-15"  # made up: the rule puts the entry into force on 2031-09-01
ENTRY_DAY = "2031-09-01"
SIGNATORY_ONLY = """
PREFIX ccm: <https://ccm-kg.org/ontology#>
SELECT ?iso3 WHERE {
  ?signature a ccm:TreatyAction ; ccm:actionType "signature" ; ccm:ofState ?state .
  ?state ccm:iso3 ?iso3 .
  FILTER NOT EXISTS { ?other a ccm:TreatyAction ; ccm:ofState ?state ; ccm:actionType ?kind .
                      FILTER (?kind != "signature") }
}
ORDER BY ?iso3 LIMIT 1
"""


@pytest.fixture(scope="module")
def served(module_backend: tuple[Settings, Store]) -> Iterator[tuple[httpx.Client, Store, str]]:
    """A client on the corpus with its reference data, with ingest on, on each backend; and
    the signatory's ISO code."""
    settings, store = module_backend
    load_paths(store, settings, corpus_files())
    load_reference(store, settings)
    settings = settings.model_copy(update={"ingest_token": SecretStr(TOKEN)})
    (row,) = store.select(SIGNATORY_ONLY).rows
    with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=120) as c:
        yield c, store, str(row["iso3"])


def deposit(iso3: str) -> str:
    return f"""
@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/upload-test/{iso3}-ratification> a ccm:TreatyAction ;
    ccm:ofState <https://ccm-kg.org/id/state/{iso3}> ;
    ccm:actionType "ratification" ;
    dcterms:date "{DEPOSIT_DAY}"^^xsd:date ;
    prov:wasDerivedFrom <https://example.org/upload-test/depositary-page> .
<https://example.org/upload-test/depositary-page> a ccm:ReferenceSource ;
    ccm:sourceURL "https://example.org/upload-test/depositary-page"^^xsd:anyURI ;
    ccm:retrievedOn "2031-03-20"^^xsd:date .
"""


def entry_into_force(client: httpx.Client, iso3: str) -> object:
    r = client.get(f"/states/{iso3}")
    assert r.status_code == 200, r.text
    return r.json()["entry_into_force"]


def deadlines(client: httpx.Client, iso3: str) -> list[dict[str, object]]:
    r = client.get("/deadlines", params={"state": iso3})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_an_upload_brings_its_derived_facts_and_takes_them_away(
    served: tuple[httpx.Client, Store, str],
) -> None:
    client, _, iso3 = served
    assert entry_into_force(client, iso3) is None
    assert deadlines(client, iso3) == []

    r = client.post("/ingest", content=deposit(iso3), headers=AUTH, params={"note": "test"})
    assert r.status_code == 201, r.text
    derived = r.json()["derived"]
    assert derived["rejected"] == {}
    assert derived["statements"]["entry_into_force"] >= 1
    assert derived["rewritten"] >= 1

    entry = entry_into_force(client, iso3)
    assert isinstance(entry, dict) and entry["date"] == ENTRY_DAY
    after = deadlines(client, iso3)
    assert after, "the deadlines that follow from the entry into force"
    assert all(str(d["due"]) > ENTRY_DAY for d in after)

    r = client.delete(f"/ingest/{r.json()['id']}", headers=AUTH)
    assert r.status_code == 204
    assert entry_into_force(client, iso3) is None
    assert deadlines(client, iso3) == []


def test_without_reference_data_the_rules_do_not_run(
    store_settings: Settings, store: Store
) -> None:
    """An empty store holds no calendar and no instrument: nothing to derive, none written."""
    before = set(store.graphs())
    assert rederive(store_settings, store, package_validator()) is None
    assert set(store.graphs()) == before


class _FailingValidator:
    """A fault of ours inside the rules' run (not a CcmKgError): the check of a derived graph
    raises."""

    def validate(self, graph: object, context: object = None) -> object:
        raise RuntimeError("a bug in the validator")


def test_a_fault_in_the_rules_is_reported_not_raised(
    module_backend: tuple[Settings, Store],
    served: tuple[httpx.Client, Store, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The upload is already stored when the rules run: a fault there must not turn into a
    500 (the client would send the upload again), and nothing derived is written."""
    settings, store = module_backend
    before = store.graphs()
    answer = rederive(settings, store, _FailingValidator())  # type: ignore[arg-type]
    assert answer is not None and "internal error" in answer["error"]
    assert "upload is stored" in answer["hint"]
    assert "a bug in the validator" in caplog.text  # the trace is in the server's log
    assert store.graphs() == before
