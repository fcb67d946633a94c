"""The REST lists answer what the named queries answer, through HTTP, on two data sets.

Why: the REST lists now filter in SPARQL (issue #16: a period, an area, a kind...), each with
its own query; the research queries of queries/ answer the same questions another way (e.g.
`coordinators_in_year` through the `ccm:activeYear` index). The same holdings, meetings,
events and conflicts must come out of both, on the corpus with the reference data and on a
synthetic graph from bench/synth.py (many years, many holdings, conflicts).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from ccmkg.loaders.reference.load import ReferenceReport
from ccmkg.resources import ontology_file
from ccmkg.settings import Settings
from ccmkg.store import open_store
from devtools.rel_support import copy_store
from devtools.server import serve_app

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://ccm-kg.org/"
CC = "https://ccm-kg.org/ontology#CoordinationCommitteeMeeting"
AREAS = ("universalization", "victim-assistance", "clearance-and-risk-reduction")
SYNTH_TRIPLES = 40_000


def _synth_module() -> Any:
    spec = importlib.util.spec_from_file_location("ccm_bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _synth_store(directory: Path) -> None:
    """bench/synth.py's graph as the stores keep it: named graphs, their union as the default
    graph, and the ontology (for the labels of areas)."""
    data = directory.parent / "synth.nq"
    synth = _synth_module()
    synth.write(data, SYNTH_TRIPLES)
    disk = ox.Store(str(directory))
    synth.with_union(data, disk)
    disk.bulk_load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    onto = ox.NamedNode(f"{BASE}graph/ontology")
    disk.bulk_load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE, to_graph=onto)
    disk.flush()
    del disk


@dataclass
class Api:
    client: httpx.Client

    def rest(self, path: str, **params: str) -> list[dict[str, Any]]:
        """Every item of a REST list (all pages), checked complete."""
        items: list[dict[str, Any]] = []
        while True:
            body = self.client.get(path, params={**params, "limit": 1000, "offset": len(items)})
            assert body.status_code == 200, body.text
            page = body.json()
            assert page["truncated"] is False
            items += page["items"]
            if len(items) >= page["count"] or not page["items"]:
                return items

    def named(self, name: str, **params: str) -> list[dict[str, Any]]:
        response = self.client.get(f"/queries/{name}", params=params)
        assert response.status_code == 200, response.text
        assert response.headers["X-Result-Truncated"] == "false"
        return response.json()["rows"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=["corpus", "synthetic"])
def api(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    corpus_reference_template: tuple[Path, ReferenceReport],
) -> Iterator[Api]:
    directory = tmp_path_factory.mktemp(request.param) / "store"
    if request.param == "synthetic":
        _synth_store(directory)
    else:  # the corpus loaded with the reference data (the session's, copied)
        copy_store(corpus_reference_template[0], directory)
    settings = Settings(store=str(directory), base_iri=BASE, query_workers=1)
    store = open_store(settings)
    try:
        with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=120) as c:
            yield Api(c)
    finally:
        store.close()


def ids(items: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> set[Any]:
    return {key(item) for item in items}


def years(api: Api) -> list[str]:
    """The years the meetings span (at least one), so every year with data is asked about."""
    dates = [m["date"] for m in api.rest("/meetings") if m["date"]]
    return [str(y) for y in range(int(min(dates)[:4]), int(max(dates)[:4]) + 1)]


def explained_by_term(item: dict[str, Any], first: str, last: str) -> bool:
    """A holding REST answers and the named query does not: its term, as a rule dated it from
    the calendar (MSP to MSP), meets [first, last] though no mandate year or attestation is
    in it (the named queries count calendar years: ccm:activeYear)."""
    dated = item["term_basis"] in ("stated", "inferred") and item["start"] and item["end"]
    return bool(dated) and item["start"] <= last and item["end"] >= first


def same_holdings(
    rest: list[dict[str, Any]], named: list[dict[str, Any]], first: str, last: str
) -> list[str]:
    """What differs beyond the documented difference (see explained_by_term)."""
    answered = {i["id"]: i for i in rest}
    found = ids(named, lambda r: r["holding"])
    missing = sorted(found - set(answered))
    extra = [h for h in set(answered) - found if not explained_by_term(answered[h], first, last)]
    return missing + sorted(extra)


def test_coordinators_in_a_year_are_those_of_coordinators_in_year(api: Api) -> None:
    asked = 0
    for area in AREAS:
        for year in years(api):
            rest = api.rest("/coordinators", area=area, year=year)
            named = api.named("coordinators_in_year", area=area, year=year)
            assert not same_holdings(rest, named, f"{year}-01-01", f"{year}-12-31"), (area, year)
            asked += len(named)
    assert asked > 0, "no coordinator in any year: the comparison proved nothing"


def test_coordinators_on_a_day_are_those_of_coordinators_on_date(api: Api) -> None:
    days = sorted({d for i in api.rest("/coordinators") for d in i["attested"]})
    assert days
    for area in AREAS:
        for day in days[:: max(1, len(days) // 12)]:
            rest = api.rest("/coordinators", area=area, on=day)
            named = api.named("coordinators_on_date", area=area, date=day)
            assert not same_holdings(rest, named, day, day), (area, day)


def test_presidents_are_those_of_presidencies_in_order(api: Api) -> None:
    rest = [i for i in api.rest("/presidencies") if i["role"] == "president"]
    named = api.named("presidencies_in_order")
    assert named
    assert ids(rest, lambda i: i["id"]) == ids(named, lambda r: r["holding"])


def test_coordination_committee_meetings_are_those_of_meetings_list(api: Api) -> None:
    rest = api.rest("/meetings", kind="coordination-committee")
    named = api.named("meetings_list", kind=CC)
    assert named
    assert ids(rest, lambda i: i["iri"]) == ids(named, lambda r: r["meeting"])


def test_obligation_events_are_those_of_obligation_events_by_article_state(api: Api) -> None:
    for article in ("3", "4", "7"):
        # The named query answers statements about one State each (about=state); the
        # statements about several States at once are compared in tests/desk/test_expose.py.
        rest = api.rest("/obligations", article=article, about="state")
        named = api.named("obligation_events_by_article_state", article=article)
        assert ids(rest, lambda i: i["id"]) == ids(named, lambda r: r["event"]), article


def test_conflicts_are_those_of_conflicts_in_record(api: Api) -> None:
    rest = api.rest("/conflicts")
    named = api.named("conflicts_in_record")  # (the corpus has some; a small synthetic, none)
    assert ids(rest, lambda i: i["id"]) == ids(named, lambda r: r["conflict"])


def test_pages_read_apart_are_the_whole_list(api: Api) -> None:
    """/meetings and /obligations read details and passages for their page only (issue #16):
    pages of 7, one after the other, are the whole list in order, item for item, each with
    the same count; a page past the end is empty and still counts them all."""
    longest = 0
    for path, params in (
        ("/meetings", {"kind": "coordination-committee"}),
        ("/meetings", {}),
        ("/obligations", {"article": "4"}),
        ("/obligations", {}),
    ):
        whole = api.rest(path, **params)
        longest = max(longest, len(whole))
        pages: list[dict[str, Any]] = []
        while len(pages) < len(whole):
            response = api.client.get(path, params={**params, "limit": 7, "offset": len(pages)})
            body = response.json()
            assert body["count"] == len(whole), (path, params)
            assert response.headers["X-Total-Count"] == str(len(whole))
            assert 0 < len(body["items"]) <= 7, (path, params, len(pages))
            pages += body["items"]
        assert pages == whole, (path, params)
        past = api.client.get(path, params={**params, "offset": len(whole)}).json()
        assert (past["items"], past["count"]) == ([], len(whole)), (path, params)
    assert longest > 7  # at least one list had several pages


def cited(source: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies a source a REST item cites: its document, quote and offsets, or its
    reference page (whose address REST also gives as the document's id)."""
    if source["url"]:
        return (None, None, None, None, source["url"])
    document = source["document"]["id"]
    return (document, source["quote"], source["start"], source["end"], None)


def cited_by_row(row: dict[str, Any]) -> tuple[Any, ...]:
    """The same, from a row of a named `*_sources` query."""
    return tuple(row.get(k) for k in ("document", "quote", "start", "end", "sourceUrl"))


def same_sources(rest: list[dict[str, Any]], named: list[dict[str, Any]]) -> list[str]:
    """Holdings whose sources differ between a REST list and a named query's rows."""
    by_holding: dict[str, set[tuple[Any, ...]]] = {}
    for row in named:
        by_holding.setdefault(row["holding"], set()).add(cited_by_row(row))
    answered = {item["id"]: {cited(s) for s in item["sources"]} for item in rest}
    holdings = sorted(set(answered) | set(by_holding))
    return [h for h in holdings if answered.get(h, set()) != by_holding.get(h, set())]


def test_an_areas_sources_are_those_of_coordinators_of_area_sources(api: Api) -> None:
    cited_anything = 0
    for area in AREAS:
        rest = api.rest("/coordinators", area=area, role="any")
        named = api.named("coordinators_of_area_sources", area=area)
        assert not same_sources(rest, named), area
        cited_anything += len(named)
    assert cited_anything > 0, "no source in any area: the comparison proved nothing"


def test_presidencies_sources_are_those_of_presidencies_sources(api: Api) -> None:
    rest = api.rest("/presidencies")
    named = api.named("presidencies_sources")
    assert named
    assert not same_sources(rest, named)
