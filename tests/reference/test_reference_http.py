"""Issue #13 through HTTP: the calendar, the States Parties, their deadlines, and why."""

from __future__ import annotations

import csv
import io

import jsonschema_rs
from fastapi.testclient import TestClient

from ccmkg.api.main import create_app
from ccmkg.loaders.reference.load import ReferenceReport
from ccmkg.settings import Settings
from ccmkg.store import Store

BASE = "https://ccm-kg.org/"


def items(client: TestClient, url: str) -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_the_load_writes_source_graphs_conflicts_and_derived_graphs(loaded) -> None:
    _, store, report = loaded
    assert report.ok, (report.rejected, report.derived.rejected)
    graphs = store.graphs()
    assert sum(g.startswith(BASE + "graph/reference/") for g in graphs) == report.graphs > 100
    assert BASE + "graph/reference/conflicts" in graphs
    for rule in ("entry_into_force", "article3_stockpile_destruction", "article4_clearance"):
        assert BASE + f"graph/derived/{rule}" in graphs
    assert any("first day of 1MSP" in c for c in report.conflicts)
    assert any("date of deposit of BDI" in c for c in report.conflicts)
    # values that differ only in precision are not conflicts ("2018" vs "2018-07")
    assert not any("HRV" in c and "completed" in c for c in report.conflicts)


def test_states_parties_and_signatories(client: TestClient) -> None:
    r = client.get("/states?status=state-party&limit=1000")
    parties = r.json()["items"]
    assert r.json()["count"] >= 110
    assert all(p["entry_into_force"]["derived"] for p in parties)
    signatories = items(client, "/states?status=signatory&limit=1000")
    assert {"IDN", "KEN", "UGA"} <= {s["iso3"] for s in signatories}
    assert all(s["entry_into_force"] is None for s in signatories)
    body = client.get("/states?status=state-party&format=csv&limit=1000").text
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) >= 110 and "entry_into_force.date" in rows[0]


def test_a_state_keeps_every_source_and_its_conflicts(client: TestClient) -> None:
    iraq = client.get("/states/IRQ?as_of=2026-01-01").json()
    assert iraq["instrument"]["conflict"] is True
    assert {c["date"] for c in iraq["instrument"]["claims"]} == {"2013-05-14", "2013-05-15"}
    assert all(c["source"]["url"].startswith("http") for c in iraq["instrument"]["claims"])
    eif = iraq["entry_into_force"]
    assert eif["date"] == "2013-11-01" and eif["derived"] is True
    assert eif["rule"]["id"] == BASE + "id/rule/entry_into_force"
    clearance = next(d for d in iraq["deadlines"] if d["type"] == "clearance")
    assert clearance["due"] == "2023-11-01"
    assert clearance["extensions"][0]["sources"][0]["url"].startswith("http")
    president = [p for p in iraq["posts"] if p["kind"] == "president" and "meeting" in p]
    assert president and president[0]["meeting"]["label"] == "11MSP"
    assert client.get("/states/XKX").status_code in (404, 422)


def test_entry_into_force_rule_on_the_real_record(client: TestClient) -> None:
    by_iso = {s["iso3"]: s for s in items(client, "/states?limit=1000")}
    assert by_iso["IRL"]["entry_into_force"]["date"] == "2010-08-01"  # deposited 2008
    assert by_iso["GBR"]["entry_into_force"]["date"] == "2010-11-01"  # deposited May 2010
    assert by_iso["LTU"]["entry_into_force"]["date"] == "2011-09-01"  # deposited 24 Mar 2011


def test_deadline_status_as_of_a_date(client: TestClient) -> None:
    def lao(as_of: str) -> dict:
        found = items(client, f"/deadlines?article=4&state=LAO&as_of={as_of}")
        assert len(found) == 1
        return found[0]

    before = lao("2019-01-01")
    assert (before["due"], before["status"]) == ("2020-08-01", "pending")
    assert before["rule"]["file"] == "queries/rules/article4_clearance.rq"
    assert before["derived"] is True
    assert before["derived_from"]["entry_into_force"]["date"] == "2010-08-01"
    after_grant = lao("2022-01-01")  # granted at 9MSP: new deadline 1 August 2025
    assert (after_grant["current_due"], after_grant["status"]) == ("2025-08-01", "extended")
    assert lao("2026-01-01")["status"] == "overdue"  # no completion, no later grant recorded
    uk = items(client, "/deadlines?article=3&state=GBR&as_of=2026-01-01")[0]
    assert uk["status"] == "met" and uk["completion"]["date"] == "2013-12-17"
    assert uk["completion"]["sources"][0]["url"].startswith("http")


def test_deadlines_filters_and_csv(client: TestClient) -> None:
    window = items(client, "/deadlines?article=4&from=2020-01-01&to=2021-12-31&limit=1000")
    assert window and all("2020-01-01" <= d["current_due"] <= "2021-12-31" for d in window)
    assert all(d["article"] == 4 for d in window)
    initial = items(client, "/deadlines?article=7&state=NOR&limit=1000")
    assert {d["type"] for d in initial} == {"initial-report", "annual-report"}
    body = client.get("/deadlines?article=3&format=csv&as_of=2026-01-01").text
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {"status", "rule.file", "current_due"} <= set(rows[0])
    assert client.get("/deadlines?article=5").status_code == 422
    assert client.get("/deadlines?as_of=yesterday").status_code == 422


def test_states_and_deadlines_are_typed_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"State", "StateDetail", "StateList", "Deadline", "DeadlineList"} <= set(schemas)
    assert {"status", "signature", "instrument", "entry_into_force"} <= set(
        schemas["State"]["properties"]
    )
    assert {"due", "current_due", "status", "rule", "derived_from", "extensions"} <= set(
        schemas["Deadline"]["properties"]
    )
    for path, model in (
        ("/states", "StateList"),
        ("/states/{iso}", "StateDetail"),
        ("/deadlines", "DeadlineList"),
    ):
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"]["$ref"].endswith("/" + model), path
    names = {p["name"] for p in spec["paths"]["/deadlines"]["get"]["parameters"]}
    assert {"limit", "offset", "format", "article", "state", "as_of", "status"} <= names
    # the answers are what the schemas say (oneOf of a State's posts: exactly one kind each)
    for url, model in (
        ("/states/IRQ?as_of=2026-01-01", "StateDetail"),
        ("/states?limit=1000", "StateList"),
        ("/deadlines?state=GBR&as_of=2026-01-01&limit=1000", "DeadlineList"),
    ):
        schema = {"$ref": f"#/components/schemas/{model}", "components": spec["components"]}
        jsonschema_rs.validate(schema, client.get(url).json())


def test_a_cut_answer_is_reported_on_states_and_deadlines(
    loaded: tuple[Settings, Store, ReferenceReport], client: TestClient
) -> None:
    """The row cap cut the answers read: the lists and the State in full say so."""
    settings, store, _ = loaded
    capped = settings.model_copy(update={"max_result_rows": 5})
    with TestClient(create_app(capped, store)) as cut:
        for path in ("/states", "/deadlines?state=LAO", "/states?status=signatory&format=csv"):
            r = cut.get(path)
            assert r.status_code == 200, r.text
            assert r.headers["X-Result-Truncated"] == "true", path
            if "csv" not in path:
                assert r.json()["truncated"] is True, path
        assert cut.get("/states/IRQ").json()["truncated"] is True
    assert client.get("/states").headers["X-Result-Truncated"] == "false"
    assert client.get("/states/IRQ").json()["truncated"] is False


def test_the_calendar_through_meetings_and_presidencies(client: TestClient) -> None:
    msps = items(client, "/meetings?kind=meeting-of-states-parties&limit=1000")
    numbered = [m for m in msps if m["id"].startswith("msp-")]
    assert {m["label"] for m in numbered} >= {f"{n}MSP" for n in range(1, 14)}
    assert all(m["date"] for m in numbered)
    assert any(s.get("url") for s in numbered[0]["sources"])
    rcs = {m["id"]: m for m in items(client, "/meetings?kind=review-conference")}
    assert {"rc-1", "rc-2", "rc-2-part-1", "rc-2-part-2", "rc-3"} <= set(rcs)
    # planned 4 February 2021, held 20 September 2021: a conflict, both kept (see /conflicts)
    assert rcs["rc-2-part-2"]["date"] in ("2021-02-04", "2021-09-20")
    assert rcs["rc-3"]["date"] is None  # planned for 2026, no date in any source
    # the 10MSP presidency as the reference data gives it (a document of the corpus may give
    # it too: another holding, with its own sources)
    presidents = [
        p
        for p in items(client, "/presidencies?limit=1000")
        if p["role"] == "president" and p["meeting"] and p["meeting"]["label"] == "10MSP"
    ]
    assert presidents and {p["state"]["iso3"] for p in presidents} == {"GBR"}
    from_reference = [p for p in presidents if any(s.get("url") for s in p["sources"])]
    assert from_reference, presidents
    assert {(p["start"], p["end"]) for p in from_reference} == {("2022-08-30", "2023-09-11")}


def test_reference_conflicts_are_listed(client: TestClient) -> None:
    conflicts = items(client, "/conflicts?limit=1000")
    first_day = [c for c in conflicts if (c["about"] or "").startswith("first day of 1MSP")]
    assert first_day and {"2010-09-09", "2010-11-09"} <= set(first_day[0]["values"])


def test_named_queries_for_researchers(client: TestClient) -> None:
    def run(name: str, query: str = "") -> list[dict]:
        r = client.get(f"/queries/{name}?{query}")
        assert r.status_code == 200, r.text
        body = r.json()
        return body["rows"] if isinstance(body, dict) and "rows" in body else body

    overdue = run("states_initial_report_overdue", "asOf=2011-02-01")
    assert "LAO" in {r["iso3"] for r in overdue}  # due 28 January 2011
    assert "GBR" not in {r["iso3"] for r in overdue}  # due 30 April 2011
    within = run("clearance_deadlines_within", "asOf=2025-01-01&years=2")
    assert {"LAO", "DEU"} <= {r["iso3"] for r in within}
    presided = run("meeting_presidents")
    assert {r["label"] for r in presided} >= {"1MSP", "10MSP", "13MSP"}
    r = client.get("/queries/meeting_presidents?format=csv")
    assert r.status_code == 200 and r.text.startswith("meeting,")


def test_the_graph_says_which_rule_and_which_inputs(
    loaded: tuple[Settings, Store, ReferenceReport],
) -> None:
    _, store, _ = loaded
    ask = """PREFIX ccm: <https://ccm-kg.org/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    ASK {
      GRAPH <https://ccm-kg.org/graph/derived/article4_clearance> {
        <https://ccm-kg.org/id/deadline/LAO/Clearance> ccm:rule ?rule ;
            prov:wasDerivedFrom <https://ccm-kg.org/id/entry-into-force/LAO> .
        ?rule ccm:ruleFile "queries/rules/article4_clearance.rq" .
      }
      <https://ccm-kg.org/id/entry-into-force/LAO> prov:wasDerivedFrom ?instrument .
      ?instrument prov:wasDerivedFrom ?page . ?page ccm:sourceURL ?url .
    }"""
    assert store.ask(ask)


def test_a_meeting_whose_sources_disagree_lists_every_value(client: TestClient) -> None:
    """Where sources give a meeting different days, /meetings lists them all under `disputed`
    (sorted, the first shown in the field) and answers the same way every time."""
    from ccmkg.resources import reference_dir

    with (reference_dir() / "meetings.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    starts: dict[str, list[str]] = {}
    for row in rows:
        if row["start_date"] and not row["part"]:
            starts.setdefault(row["meeting"], []).append(row["start_date"])
    disagreeing = {label: days for label, days in starts.items() if len(set(days)) > 1}
    assert disagreeing, "the reference data holds no disagreement to test with"
    meetings = {m["label"]: m for m in items(client, "/meetings?limit=1000")}
    for label, days in disagreeing.items():
        meeting = meetings[label]
        assert set(days) <= set(meeting["disputed"]["date"]), label
        assert meeting["date"] == meeting["disputed"]["date"][0]
    again = {m["label"]: m for m in items(client, "/meetings?limit=1000")}
    assert again == meetings
