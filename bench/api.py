"""REST API latency as a ratio to running its named queries straight on the store.

For every endpoint: p50 and p99 of N HTTP requests to a live uvicorn server, against p50 and
p99 of running the same named queries (same parameters) with `Catalogue.run` on the same store,
in the same run, samples interleaved so that load from other processes hits both alike.

The baseline is the store call the API makes: the query with the server's time limit, which
on the embedded store runs in a forked worker (pyoxigraph cannot cancel a query; see
docs/decisions/store.md). The in-process time of the same queries (no time limit, no worker)
and the p50 of GET /static/style.css (the HTTP floor: uvicorn, middleware and httpx, no query)
are printed beside it, so that what an endpoint adds on top of its queries can be read off in ms.

Then, for each REST list, the ratio that issue #16 sets a goal for: its median time over the
median time of the named query of queries/ that answers the same question, both through HTTP
(`GET /queries/{name}`), in the same run, interleaved; and the total (sum of the REST medians
over the sum of the named-query medians). A list with no research query of its own is measured
against its `api_*` query through /queries (the list's cost on top of its query). A second
table asks the lists whose items carry sources with `sources=none` (no passage read), against
the same named queries: then both answers hold the same kind of facts. A third table asks the
lists still above issue #16's goal (`sources=none`) against the api_* queries each runs
itself, one after the other through /queries: what the REST layer adds on top of them. A
fourth asks the lists with every source against the research queries that give the same facts
and the same passages (e.g. coordinators_of_area_over_years + coordinators_of_area_sources):
what a researcher runs through /queries to have what the list gives.

Data: the bundled corpus (loaded with the loaders pipeline) and, with --synth N, a synthetic
CCM-shaped graph of ~N triples from bench/synth.py (bulk-loaded with pyoxigraph). The meeting,
State and person asked about are picked from the data (the busiest ones), not hard-coded.

    python bench/api.py                        # corpus only
    python bench/api.py --synth 1000000 -n 30  # plus the 1M-triple synthetic graph
    python bench/api.py --synth 1000000 --no-corpus --lists-only -n 15   # only the ratios
    python bench/api.py --synth 1000000 --no-corpus --lists-only --serve -n 15   # by `ccmkg serve`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccmkg.catalogue import Catalogue  # noqa: E402
from ccmkg.resources import corpus_files, ontology_file  # noqa: E402
from ccmkg.settings import Settings  # noqa: E402
from ccmkg.store import Store, open_store  # noqa: E402
from devtools.server import serve_app  # noqa: E402

BASE = "https://ccm-kg.org/"
Queries = list[tuple[str, dict[str, str]]]


@dataclass(frozen=True)
class Case:
    path: str
    params: dict[str, str]
    queries: Queries

    @property
    def label(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return self.path + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Sample:
    """What the endpoints are asked about, picked from the data."""

    meeting: str  # IRI of the meeting with the most attendances
    year: str  # the year of that meeting
    state: str  # ISO alpha-3 of the State with the most attendances
    person: str  # a fragment of the name of the person with the most participations


PICK = """
PREFIX ccm: <https://ccm-kg.org/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?meeting ?date ?iso3 ?name WHERE {
  { SELECT ?meeting (COUNT(DISTINCT ?a) AS ?n) WHERE {
      ?a a ccm:Attendance ; ccm:atMeeting ?meeting }
    GROUP BY ?meeting ORDER BY DESC(?n) ?meeting LIMIT 1 }
  { SELECT ?iso3 (COUNT(DISTINCT ?b) AS ?m) WHERE {
      ?b a ccm:Attendance ; ccm:delegation ?s . ?s ccm:iso3 ?iso3 }
    GROUP BY ?iso3 ORDER BY DESC(?m) ?iso3 LIMIT 1 }
  { SELECT ?person (COUNT(DISTINCT ?p) AS ?k) WHERE { ?p ccm:participant ?person }
    GROUP BY ?person ORDER BY DESC(?k) ?person LIMIT 1 }
  ?person foaf:name ?name .
  OPTIONAL { ?meeting dcterms:date ?date }
} LIMIT 1
"""


def pick(store: Store) -> Sample:
    row = store.select(PICK).rows[0]
    longest = max(str(row["name"]).split(), key=len).lower()
    year = str(row.get("date") or "2016")[:4]
    return Sample(str(row["meeting"]), year, str(row["iso3"]), longest[:6])


def cases(s: Sample) -> list[Case]:
    segment = s.meeting.rsplit("/", 1)[-1]
    state = f"{BASE}id/state/{s.state}"
    return [
        Case(
            "/coordinators",
            {"area": "universalization", "year": s.year},
            [("api_coordinators", {"area": "universalization"})],
        ),
        Case("/coordinators", {}, [("api_coordinators", {})]),
        Case("/presidencies", {}, [("api_presidencies", {})]),
        Case("/meetings", {"kind": "coordination-committee"}, [("api_meetings", {})]),
        Case(
            "/meetings",
            {"state": s.state},
            [("api_meetings", {}), ("api_actor_timeline", {"actor": state})],
        ),
        Case(
            f"/meetings/{segment}",
            {},
            [
                ("api_meetings", {"meeting": s.meeting}),
                ("api_meeting_attendance", {"meeting": s.meeting}),
                ("api_meeting_apologies", {"meeting": s.meeting}),
                ("api_meeting_records", {"meeting": s.meeting}),
            ],
        ),
        Case("/actors", {"q": s.state[:2].lower()}, [("api_actors", {})]),
        Case(
            f"/actors/{s.state}/timeline",
            {},
            [("api_actors", {"actor": state}), ("api_actor_timeline", {"actor": state})],
        ),
        Case("/persons", {"q": s.person}, [("api_persons", {})]),
        Case("/obligations", {"article": "4"}, [("api_obligation_events", {})]),
        Case("/conflicts", {}, [("api_conflicts", {})]),
    ]


@dataclass(frozen=True)
class Pair:
    """A REST list and the named query that answers the same question."""

    path: str
    params: dict[str, str]
    query: str
    query_params: dict[str, str]


CC = "https://ccm-kg.org/ontology#CoordinationCommitteeMeeting"


def pairs(s: Sample) -> list[Pair]:
    area = {"area": "universalization"}
    day = f"{s.year}-06-30"
    return [
        Pair("/coordinators", {**area, "year": s.year}, "coordinators_in_year",
             {**area, "year": s.year}),
        Pair("/coordinators", {**area, "on": day}, "coordinators_on_date", {**area, "date": day}),
        Pair("/coordinators", area, "coordinators_of_area_over_years", area),
        Pair("/presidencies", {}, "presidencies_in_order", {}),
        Pair("/presidencies", {"state": s.state}, "presidencies_in_order", {"state": s.state}),
        Pair("/meetings", {"kind": "coordination-committee"}, "meetings_list", {"kind": CC}),
        Pair("/meetings", {"state": s.state}, "attendance_of_state", {"state": s.state}),
        Pair("/actors", {"q": s.state[:2].lower()}, "actors_search",
             {"text": s.state[:2].lower()}),
        Pair("/persons", {"q": s.person}, "api_persons", {}),
        Pair("/obligations", {"article": "4"}, "obligation_events_by_article_state",
             {"article": "4"}),
        Pair("/conflicts", {}, "conflicts_in_record", {}),
        Pair("/deadlines", {"article": "4"}, "api_deadlines", {}),
        Pair("/states", {}, "api_states", {}),
        Pair("/review", {}, "api_review", {}),
        Pair("/working-groups", {}, "api_working_groups", {}),
    ]  # fmt: skip


# The lists whose items carry `sources` and take `sources=none` (no passage read).
SOURCED = ("/coordinators", "/presidencies", "/meetings", "/obligations", "/working-groups")


def unsourced_pairs(s: Sample) -> list[Pair]:
    """The pairs of the lists with sources, asked with `sources=none`: the answer then holds
    what the named query holds (who, what, when; no passage), the question issue #16 sets
    its goal for. The full answer (every source) is measured apart, in the first table."""
    return [
        Pair(p.path, {**p.params, "sources": "none"}, p.query, p.query_params)
        for p in pairs(s)
        if p.path in SOURCED
    ]


def list_ratios(client: httpx.Client, sample: Sample, n: int) -> None:
    """Median REST time / median named-query time (both through HTTP), per list and total:
    the lists as they answer by default, then the lists with sources asked `sources=none`,
    then the lists still above the goal against the queries they run themselves, then the
    lists with every source against the research queries that give as much."""
    ratio_table(client, pairs(sample), n)
    print("\nThe lists with sources, asked `sources=none` (no passage read):")
    ratio_table(client, unsourced_pairs(sample), n)
    print(
        "\nThe same lists (`sources=none`) against the api_* queries each runs, one after the "
        "other through /queries: what the REST layer adds on top of its own queries."
    )
    own_table(client, sample, n)
    print(
        "\nThe lists with every source against the research queries that give the same facts "
        "and the same passages, one after the other through /queries:"
    )
    sequence_table(client, cited_pairs(sample), n, "named queries")


def own_queries(path: str, params: dict[str, str], answer: dict) -> Queries:
    """The api_* queries GET `path` runs with `params` (`sources=none`), read off
    api/services: with a period, each holding the list answers (the spans that choose them are
    held between writes; the REST reads each chosen one, so this baseline may run fewer). The
    REST runs these at once; the baseline one after the other."""
    area = {k: v for k, v in params.items() if k in ("area", "state")}
    ids = [item["id"] for item in answer["items"]]
    if path == "/coordinators" and ({"year", "on", "from", "to"} & set(params)):
        return [("api_coordinator_holding_unsourced", {"holding": i}) for i in ids]
    if path == "/coordinators":
        return [("api_area_holdings_unsourced", area)]
    state = {k: v for k, v in params.items() if k == "state"}
    if state and not ids:  # the States that held a role are kept between writes
        return [("api_presidency_holders", {})]
    return [("api_presidency_facts", state), ("api_presidency_dates", state)]


def own_table(client: httpx.Client, s: Sample, n: int) -> None:
    asked: list[tuple[str, dict[str, str], Queries]] = []
    for pair in unsourced_pairs(s):
        if pair.path not in ("/coordinators", "/presidencies"):
            continue
        every = {**pair.params, "limit": "1000"}
        answer = client.get(pair.path, params=every).raise_for_status().json()
        asked.append((pair.path, pair.params, own_queries(pair.path, pair.params, answer)))
    sequence_table(client, asked, n, "its queries")


def cited_pairs(s: Sample) -> list[tuple[str, dict[str, str], Queries]]:
    """The lists with every source, each with the research queries that give the same facts
    and the same passages (document, date, quote, offsets): what a researcher runs through
    /queries to have what the list gives. tests/api/test_rest_vs_named.py checks that the
    passages are the same."""
    area = {"area": "universalization"}
    state = {"state": s.state}
    return [
        ("/coordinators", area,
         [("coordinators_of_area_over_years", area), ("coordinators_of_area_sources", area)]),
        ("/presidencies", {}, [("presidencies_in_order", {}), ("presidencies_sources", {})]),
        ("/presidencies", state,
         [("presidencies_in_order", state), ("presidencies_sources", state)]),
    ]  # fmt: skip


def sequence_table(
    client: httpx.Client, asked: list[tuple[str, dict[str, str], Queries]], n: int, what: str
) -> None:
    """Median time of each REST list against that of its named queries run one after the
    other through /queries."""
    print(f"\n| REST list | {what} | REST p50 | queries p50 | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for path, params, queries in asked:

        def rest(path: str = path, params: dict[str, str] = params) -> object:
            return client.get(path, params=params).raise_for_status()

        def named(queries: Queries = queries) -> None:
            for name, bound in queries:
                client.get(f"/queries/{name}", params=bound).raise_for_status()

        a, b = (statistics.median(x) for x in interleaved([rest, named], n))
        label = path + "?" + "&".join(f"{k}={v}" for k, v in params.items())
        names = " + ".join(sorted({name for name, _ in queries}))
        print(f"| {label} | {names} ({len(queries)}) | {a:.1f} | {b:.1f} | {a / b:.2f}× |")


def ratio_table(client: httpx.Client, asked: list[Pair], n: int) -> None:
    print("\n| REST list | named query | REST p50 | named p50 | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    rest_total = named_total = 0.0
    for pair in asked:

        def rest(pair: Pair = pair) -> object:
            return client.get(pair.path, params=pair.params).raise_for_status()

        def named(pair: Pair = pair) -> object:
            path = f"/queries/{pair.query}"
            return client.get(path, params=pair.query_params).raise_for_status()

        label = pair.path + "?" + "&".join(f"{k}={v}" for k, v in pair.params.items())
        named_label = pair.query + "?" + "&".join(f"{k}={v}" for k, v in pair.query_params.items())
        try:
            a, b = (statistics.median(x) for x in interleaved([rest, named], n))
        except httpx.HTTPStatusError as exc:  # e.g. 503 at the time limit: said, not summed
            print(f"| {label} | {named_label} | error: {exc.response.status_code} "
                  f"{exc.request.url.path} | | |")  # fmt: skip
            continue
        rest_total, named_total = rest_total + a, named_total + b
        print(f"| {label} | {named_label} | {a:.1f} | {b:.1f} | {a / b:.2f}× |")
    total = rest_total / named_total
    sums = f"{rest_total:.1f} | {named_total:.1f} | {total:.2f}×"
    print(f"| **total** (lists without error) | | {sums} |")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def interleaved(fns: list[Callable[[], object]], n: int) -> list[list[float]]:
    """ms per call of each function, calls alternating so drift in load hits all alike."""
    for fn in fns:
        fn()  # warm-up: caches, first parse, worker start
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, times in zip(fns, out, strict=True):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return out


@contextmanager
def corpus_store(tmp: Path) -> Iterator[tuple[Settings, Store]]:
    from ccmkg.loaders.pipeline import load_paths

    settings = Settings(store=str(tmp / "corpus"), base_iri=BASE)
    store = open_store(settings)
    try:
        load_paths(store, settings, corpus_files())
        yield settings, store
    finally:
        store.close()


@contextmanager
def synth_store(tmp: Path, triples: int) -> Iterator[tuple[Settings, Store]]:
    """bench/synth.py's N-Quads bulk-loaded into a store directory, then opened as usual.

    As the store keeps it (docs/decisions/store.md): each document in its named graph, and the
    default graph the de-duplicated union of them all, ontology included.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    directory = tmp / "synth"
    data = tmp / "synth.nq"
    synth.write(data, triples)
    disk = ox.Store(str(directory))
    disk.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    onto = ox.NamedNode(f"{BASE}graph/ontology")
    disk.bulk_load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE, to_graph=onto)
    union = ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)
    disk.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in union)
    disk.bulk_load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    disk.flush()
    del disk
    with opened_store(directory) as pair:
        yield pair


@contextmanager
def opened_store(directory: Path) -> Iterator[tuple[Settings, Store]]:
    """A store directory opened as `ccmkg serve` opens it (our base IRI), closed after."""
    settings = Settings(store=str(directory), base_iri=BASE)
    store = open_store(settings)
    try:
        yield settings, store
    finally:
        store.close()


def bench(
    label: str,
    settings: Settings,
    store: Store,
    n: int,
    lists_only: bool = False,
    serve: bool = False,
) -> None:
    catalogue = Catalogue.load(base_iri=settings.base_iri)
    sample = pick(store)
    print(f"\n## {label}: {store.triple_count()} triples, {n} runs each; {sample}\n")
    if lists_only and serve:  # issue #16's setting: the store served by `ccmkg serve`
        sys.path.insert(0, str(ROOT / "bench"))
        from query import ccmkg_server

        store.close()  # releases the directory for the server process
        with (
            ccmkg_server(Path(settings.store), {}) as (_, base),
            httpx.Client(base_url=base, timeout=120) as client,
        ):
            list_ratios(client, sample, n)
        return
    if lists_only:
        with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=120) as c:
            list_ratios(c, sample, n)
        return
    print(
        "| endpoint | items | rows | API p50 | API p99 | queries p50 | queries p99 "
        "| p50 ratio | p99 ratio | in-process p50 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=120) as client:
        (floor,) = interleaved([lambda: client.get("/static/style.css").raise_for_status()], n)
        for case in cases(sample):

            def run(deadline: float | None, queries: Queries = case.queries) -> int:
                return sum(
                    len(
                        catalogue.run(
                            store, q, p, max_rows=settings.max_result_rows, timeout_s=deadline
                        ).rows
                    )
                    for q, p in queries
                )

            def http(case: Case = case) -> httpx.Response:
                return client.get(case.path, params=case.params).raise_for_status()

            api, direct, inproc = interleaved(
                [http, lambda: run(settings.query_timeout_s), lambda: run(None)], n
            )
            body = http().json()
            items = body.get("count", 1)
            rows = run(None)
            a50, a99 = percentiles(api)
            q50, q99 = percentiles(direct)
            print(
                f"| {case.label} | {items} | {rows} | {a50:.1f} | {a99:.1f} | {q50:.1f} "
                f"| {q99:.1f} | {a50 / q50:.2f}× | {a99 / q99:.2f}× "
                f"| {statistics.median(inproc):.1f} |"
            )
        list_ratios(client, sample, n)
    floor_ms = statistics.median(floor)
    print(f"\nHTTP floor (GET /static/style.css): p50 {floor_ms:.1f} ms; times in ms.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="requests per endpoint")
    parser.add_argument("--synth", type=int, default=0, help="also a synthetic graph of ~N triples")
    parser.add_argument("--no-corpus", action="store_true", help="only the synthetic graph")
    parser.add_argument(
        "--lists-only", action="store_true", help="only the REST list / named query ratios"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="with --lists-only: serve with `ccmkg serve` in its own process (issue #16's "
        "setting), not uvicorn in a thread of this one",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.no_corpus:
            with corpus_store(tmp) as (settings, store):
                bench("corpus", settings, store, args.n, args.lists_only, args.serve)
        if args.synth:
            with synth_store(tmp, args.synth) as (settings, store):
                label = f"synthetic ~{args.synth:,} triples"
                bench(label, settings, store, args.n, args.lists_only, args.serve)


if __name__ == "__main__":
    main()
