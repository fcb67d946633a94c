"""Issue 15 item 4 through HTTP and the CLI: one set of names everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from ccmkg.cli import app as cli_app
from tests.desk.conftest import ok

# Spellings of one State a person may type, and the ISO3 each must resolve to.
STATE_SPELLINGS = {
    "NLD": ["NLD", "nl", "Netherlands", "the Netherlands", "NETHERLANDS",
            "https://ccm-kg.org/id/state/NLD"],
    "LAO": ["LAO", "Lao PDR", "Laos", "Lao People's Democratic Republic"],
    "GBR": ["GBR", "UK", "United Kingdom"],
}  # fmt: skip
AREA_SPELLINGS = ["universalization", "Universalisation", "UNIVERSALIZATION"]
KIND_SPELLINGS = ["MSP", "msp", "meeting-of-states-parties", "Meeting of States Parties"]

# Every list whose items have a detail route: list path → how an item's `id` is fetched.
DETAIL = {
    "/meetings": "/meetings/{id}",
    "/persons": "/persons/{id}",
    "/actors": "/actors/{id}",
    "/states": "/states/{id}",
    "/documents": "/documents/{id}",
}
# Every other list: its ids are IRIs under the base, dereferenceable at their /id/ path.
RESOLVABLE = ["/coordinators", "/presidencies", "/obligations", "/conflicts", "/working-groups",
              "/deadlines"]  # fmt: skip
BASE = "https://ccm-kg.org/"


@pytest.mark.parametrize("listing", sorted(DETAIL))
def test_every_id_a_list_returns_opens_its_detail(http: httpx.Client, listing: str) -> None:
    items = ok(http, listing, limit="1000").json()["items"]
    assert items, listing
    for item in items:
        url = DETAIL[listing].format(id=item["id"])
        detail = http.get(url)
        assert detail.status_code == 200, f"{listing} id {item['id']!r}: {detail.text}"
        body = detail.json()
        same = body.get("actor", body)  # a timeline wraps its actor
        assert same["id"] == item["id"], url
    for item in items[:3]:  # and the detail's own id is the list's (round trip)
        if "iri" in item:  # keyed lists also take their IRI
            assert http.get(DETAIL[listing].format(id=item["iri"])).status_code == 200


@pytest.mark.parametrize("listing", RESOLVABLE)
def test_list_ids_without_a_detail_route_resolve(http: httpx.Client, listing: str) -> None:
    items = ok(http, listing, limit="50").json()["items"]
    for item in items[:10]:
        assert item["id"].startswith(BASE + "id/"), item["id"]
        path = item["id"].removeprefix(BASE.rstrip("/"))
        got = http.get(path, headers={"Accept": "application/ld+json"})
        assert got.status_code == 200, f"{listing} {item['id']}: {got.status_code}"


def test_state_spellings_agree_in_rest_and_queries(http: httpx.Client) -> None:
    for iso3, spellings in STATE_SPELLINGS.items():
        for spelling in spellings:
            state = ok(http, f"/states/{spelling}").json()
            assert state["iso3"] == iso3, spelling
            pres = ok(http, "/presidencies", state=spelling, limit="1000").json()["items"]
            assert all(p["state"]["iso3"] == iso3 for p in pres), spelling
            coords = ok(http, "/coordinators", state=spelling, limit="1000").json()["items"]
            assert all(c["state"]["iso3"] == iso3 for c in coords), spelling
            obl = ok(http, "/obligations", state=spelling, limit="1000").json()["items"]
            assert all(o["state"]["iso3"] == iso3 for o in obl), spelling
            named = ok(http, "/queries/presidencies_in_order", state=spelling).json()["rows"]
            assert all(r["state"].endswith("/" + iso3) for r in named), spelling
    # NLD presided the 6MSP: the REST and /queries answers are not empty, and agree
    rest = ok(http, "/presidencies", state="Netherlands").json()["items"]
    assert rest
    for bad in ("Narnia", "XX"):
        for path, param in (("/presidencies", "state"), ("/queries/presidencies_in_order", "state"),
                            ("/working-groups", "actor"), ("/obligations", "state")):  # fmt: skip
            r = http.get(path, params={param: bad})
            assert r.status_code == 422 and r.json()["hint"], (path, bad)


def test_area_spellings_agree_in_rest_and_queries(http: httpx.Client) -> None:
    answers = []
    for spelling in AREA_SPELLINGS:
        rest = ok(http, "/coordinators", area=spelling, year="2016").json()["items"]
        named = ok(http, "/queries/coordinators_in_year", area=spelling, year="2016").json()
        assert {c["state"]["id"] for c in rest} == {r["state"] for r in named["rows"]}
        ok(http, "/working-groups", area=spelling)
        answers.append(sorted(c["id"] for c in rest))
    assert answers[0] and all(a == answers[0] for a in answers)


def test_kind_values_are_the_same_in_presidencies_and_meetings(http: httpx.Client) -> None:
    meeting_sets, presidency_sets = [], []
    for kind in KIND_SPELLINGS:
        meetings = ok(http, "/meetings", kind=kind, limit="1000").json()["items"]
        assert meetings and all(m["kind"] == "meeting-of-states-parties" for m in meetings)
        meeting_sets.append({m["id"] for m in meetings})
        pres = ok(http, "/presidencies", kind=kind, limit="1000").json()["items"]
        assert pres and all(p["meeting"]["kind"] == "MSP" for p in pres), kind
        presidency_sets.append({p["id"] for p in pres})
    assert all(s == meeting_sets[0] for s in meeting_sets)
    assert all(s == presidency_sets[0] for s in presidency_sets)
    every = ok(http, "/presidencies", limit="1000").json()["items"]
    rc = ok(http, "/presidencies", kind="review-conference", limit="1000").json()["items"]
    assert rc and len(rc) + len(presidency_sets[0]) <= len(every)
    for path in ("/meetings", "/presidencies"):
        r = http.get(path, params={"kind": "picnic"})
        assert r.status_code == 422 and "meeting-of-states-parties" in r.json()["hint"]


def test_short_meeting_ids_in_rest_and_queries(http: httpx.Client) -> None:
    full = ok(http, "/meetings/msp-6").json()
    for short in ("6MSP", "6msp", "msp-6", full["iri"]):
        assert ok(http, f"/meetings/{short}").json()["id"] == "msp-6", short
        rows = ok(http, "/queries/meeting_attendees", meeting=short).json()
        assert rows["params"]["meeting"] == short
    cc = "coordination-committee-2016-05-26"
    by_key = ok(http, "/queries/meeting_attendees", meeting=cc).json()["rows"]
    by_iri = ok(http, "/queries/meeting_attendees", meeting=BASE + "id/meeting/" + cc).json()
    assert by_key and by_key == by_iri["rows"]
    kinds = ok(http, "/queries/meetings_list", kind="MSP").json()["rows"]
    lower = ok(http, "/queries/meetings_list", kind="msp").json()["rows"]
    assert kinds and kinds == lower


def _cli(*args: str) -> Result:
    """The real CLI, in this process (the subprocess and pipe behaviour is test_cli_sparql's)."""
    return CliRunner().invoke(cli_app, list(args), env={"COLUMNS": "200"})


def test_the_cli_takes_the_same_names(http: httpx.Client, store_copy: Path) -> None:
    """`ccmkg query` on a copy of the served store answers as /queries does, for each spelling."""
    location = store_copy

    def cli_rows(name: str, **params: str) -> list[dict]:
        args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
        run = _cli("query", name, *args, "--format", "json", "--store", str(location))
        assert run.exit_code == 0, run.output
        return json.loads(run.stdout)

    def http_rows(name: str, **params: str) -> list[dict]:
        return ok(http, f"/queries/{name}", **params).json()["rows"]

    cases = [
        ("presidencies_in_order", {"state": "the Netherlands"}, {"state": "NLD"}),
        ("presidencies_in_order", {"state": "nl"}, {"state": BASE + "id/state/NLD"}),
        ("meeting_attendees", {"meeting": "6MSP"}, {"meeting": "msp-6"}),
        ("coordinators_in_year", {"year": "2016", "area": "Universalisation"},
         {"year": "2016", "area": "universalization"}),
    ]  # fmt: skip
    for name, typed, canonical in cases:
        expected = http_rows(name, **canonical)
        assert http_rows(name, **typed) == expected, (name, typed)
        assert cli_rows(name, **typed) == expected, (name, typed)
    assert cli_rows("presidencies_in_order", state="NLD"), "NLD presided the 6MSP"
    bad = _cli("query", "presidencies_in_order", "-p", "state=Narnia", "--store", str(location))
    assert bad.exit_code == 2 and "Narnia" in bad.stderr
