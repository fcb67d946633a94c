"""SPARQL that crashed a worker, bloated one, or starved the REST API (issue #14, items 4-6).

Flat chains (no deep nesting) are refused with a 400 naming the limit they pass; a query that
grows a worker past its memory bound, or builds an answer past the size bound, gets a 503 that
says which; /sparql admits a few queries per client (429 + Retry-After) and a bounded number
in all (503 busy + Retry-After), and the REST API answers from workers of its own meanwhile.
Servers run in their own processes; each test checks the server is alive afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devtools.rel_support import app_process, copy_store
from tests.reliability.conftest import Child, child_env
from tests.reliability.test_hostile_sparql import _refused

pytestmark = pytest.mark.slow  # fault runs: servers of their own pushed past their limits

JSON = "application/sparql-results+json"
P = "PREFIX : <http://x.example/> "
# The inputs, written compactly so that each stays under CCMKG_MAX_QUERY_BYTES.
FLAT_CHAINS = {
    "14000 UNION": ("SELECT * WHERE {" + "{}UNION" * 14_000 + "{}}", "CCMKG_MAX_QUERY_GROUPS"),
    "9000 OPTIONAL": ("SELECT * WHERE {" + "OPTIONAL{}" * 9_000 + "}", "CCMKG_MAX_QUERY_GROUPS"),
    "45000-term sum": (
        "SELECT (" + "+".join(["1"] * 45_000) + " AS ?x) WHERE {}",
        "CCMKG_MAX_QUERY_OPERATORS",
    ),
    "15000 &&": (
        "SELECT * WHERE { FILTER(" + "&&".join(["1"] * 15_000) + ") }",
        "CCMKG_MAX_QUERY_OPERATORS",
    ),
    "30000-step path": (P + "SELECT * WHERE { ?s " + "/".join([":p"] * 30_000) + " ?o }",
                        "CCMKG_MAX_QUERY_OPERATORS"),
    "10000 triple patterns": ("SELECT * WHERE {" + "?s ?p ?o." * 10_000 + "}",
                              "CCMKG_MAX_QUERY_PATTERNS"),
    "3000 MINUS": ("SELECT * WHERE { ?s ?p ?o " + "MINUS{?s ?p 1}" * 3_000 + "}",
                   "CCMKG_MAX_QUERY_GROUPS"),
    "3000 BIND": ("SELECT * WHERE {" + "".join(f"BIND({i} AS ?v{i})" for i in range(3_000))
                  + "}", "CCMKG_MAX_QUERY_GROUPS"),
}  # fmt: skip


def _sparql(base: str, query: str, **kw: object) -> httpx.Response:
    return httpx.post(
        f"{base}/sparql", content=query.encode(), timeout=120,
        headers={"Content-Type": "application/sparql-query", "Accept": JSON}, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(FLAT_CHAINS))
def test_flat_chains_are_refused_with_the_limit_they_pass(child: Child, name: str) -> None:
    query, setting = FLAT_CHAINS[name]
    assert len(query.encode()) <= 100_000, "over the size limit: it would test that instead"
    body = _refused(_sparql(child.base, query), child, 400)
    assert setting in body["message"], body


def test_the_package_queries_pass_the_limits(child: Child) -> None:
    """Every named query (the api_* ones too, which /ui/queries leaves out), sent as text to
    /sparql, is within every limit."""
    from ccmkg.resources import queries_dir

    files = sorted(queries_dir().glob("*.rq"))
    assert files
    for path in files:
        r = httpx.post(
            f"{child.base}/sparql", data={"query": path.read_text()}, timeout=60,
            headers={"Accept": JSON},
        )  # fmt: skip
        assert r.status_code != 400 or "CCMKG_MAX_QUERY" not in r.text, (path.name, r.text)


@pytest.fixture
def server(
    corpus_template: tuple[Path, dict[str, int]], tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Child]:
    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    env = {**child_env(store_dir), **request.param}
    with app_process(env, tmp_path / "server.log") as app:
        yield Child(app, store_dir, corpus_template[1])


CROSS_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
CONCAT = (
    "SELECT ?x WHERE { ?s ?p ?o BIND(CONCAT(STR(?o),STR(?o),STR(?o),STR(?o)) AS ?a) "
    "BIND(CONCAT(?a,?a,?a,?a,?a,?a,?a,?a) AS ?x) }"
)


@pytest.mark.parametrize(
    "server", [{"CCMKG_QUERY_MEMORY_MB": "200", "CCMKG_QUERY_TIMEOUT_S": "60"}], indirect=True
)
def test_a_query_past_the_worker_memory_bound_is_503_naming_it(server: Child) -> None:
    r = _sparql(server.base, CROSS_SORTED)
    assert r.status_code == 503, r.text[:300]
    assert r.json()["code"] == "query-memory-limit"
    assert "CCMKG_QUERY_MEMORY_MB" in r.json()["message"]
    server.assert_serving()
    assert _sparql(server.base, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.parametrize("server", [{"CCMKG_MAX_RESPONSE_BYTES": "200000"}], indirect=True)
def test_an_answer_past_the_size_bound_is_503_naming_it(server: Child) -> None:
    r = _sparql(server.base, CONCAT)
    assert r.status_code == 503, r.text[:300]
    assert r.json()["code"] == "response-too-large"
    assert "CCMKG_MAX_RESPONSE_BYTES" in r.json()["message"]
    server.assert_serving()


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _in_background(base: str, query: str, local: str) -> tuple[threading.Thread, list[int]]:
    out: list[int] = []

    def run() -> None:
        transport = httpx.HTTPTransport(local_address=local)
        with httpx.Client(transport=transport, timeout=120) as http:
            out.append(http.get(f"{base}/sparql", params={"query": query}).status_code)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def _hold_and_probe(
    base: str, holder: str, prober: str, status: int
) -> tuple[threading.Thread, list[int], httpx.Response | None]:
    """Start the slow query from `holder`, then send cheap ones from `prober` until one is
    refused with `status` while the slow one runs. A probe can win the race and take the slot
    first (the slow one is then the one refused): start again, a bounded number of times."""
    transport = httpx.HTTPTransport(local_address=prober)
    with httpx.Client(transport=transport, timeout=60) as http:
        for _ in range(5):
            thread, out = _in_background(base, SLOW, holder)
            threading.Event().wait(0.3)  # let the slow query reach its slot first
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                running = thread.is_alive()
                r = http.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"})
                if r.status_code == status:
                    return thread, out, r
                if not running:
                    break  # the slow one ended (or was refused) before any probe was
                threading.Event().wait(0.05)
            thread.join(timeout=60)
    return thread, out, None


@pytest.mark.parametrize(
    "server",
    [{"CCMKG_SPARQL_PER_CLIENT": "1", "CCMKG_QUERY_TIMEOUT_S": "8"}],
    indirect=True,
)
def test_one_client_may_run_only_so_many_queries_at_once(server: Child) -> None:
    thread, out, refused = _hold_and_probe(server.base, "127.0.0.2", "127.0.0.2", 429)
    assert refused is not None, f"the second query was never refused (the slow one: {out})"
    assert refused.json()["code"] == "too-many-requests"
    assert "CCMKG_SPARQL_PER_CLIENT" in refused.json()["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    # Another client is not affected.
    other = httpx.get(f"{server.base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert other.status_code == 200, other.text
    thread.join(timeout=60)
    assert out and out[0] == 503  # the slow one ends at the time limit
    server.assert_serving()


@pytest.mark.parametrize(
    "server",
    # One running place in all (1 worker x 1 thread, no queue).
    [
        {
            "CCMKG_SPARQL_WORKERS": "1",
            "CCMKG_SPARQL_WORKER_THREADS": "1",
            "CCMKG_SPARQL_QUEUE": "0",
            "CCMKG_QUERY_TIMEOUT_S": "8",
        }
    ],
    indirect=True,
)
def test_rest_answers_while_every_sparql_worker_is_busy(server: Child) -> None:
    thread, out, busy = _hold_and_probe(server.base, "127.0.0.2", "127.0.0.3", 503)
    assert busy is not None, f"/sparql never reported itself busy (the slow one: {out})"
    assert busy.json()["code"] == "busy" and "Retry-After" in busy.headers
    # The REST API runs its named queries in workers of its own: it answers meanwhile.
    for path in ("/coordinators", "/meetings", "/actors", "/health"):
        r = httpx.get(f"{server.base}{path}", timeout=60)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    thread.join(timeout=60)
    server.assert_serving()


# A probe that runs for a while (0.2-0.5 s on the corpus): one is nearly always in flight in the
# worker when the hostile query is stopped.
PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?a ?e ?f . ?f ?g ?h }"


def _hostile_beside_probes(base: str, query: str) -> tuple[httpx.Response, list[httpx.Response]]:
    """`query` from one client while another sends probes, one after the other, until it is
    answered."""
    answer: list[httpx.Response] = []
    hostile = threading.Thread(target=lambda: answer.append(_sparql(base, query)), daemon=True)
    probes = []
    transport = httpx.HTTPTransport(local_address="127.0.0.3")
    with httpx.Client(transport=transport, timeout=60) as http:
        probes.append(http.get(f"{base}/sparql", params={"query": PROBE}))
        hostile.start()
        while hostile.is_alive():
            probes.append(http.get(f"{base}/sparql", params={"query": PROBE}))
        hostile.join()
    return answer[0], probes


# One worker of two threads: the hostile query and a probe share it. Priority kept (a probe
# past 100 ms of CPU would be lowered, and its worker would take no new request); no answer
# cache (every probe is computed).
ONE_WORKER = {"CCMKG_SPARQL_WORKERS": "1", "CCMKG_SPARQL_WORKER_THREADS": "2",
              "CCMKG_SPARQL_NICE_AFTER_MS": "600000", "CCMKG_SPARQL_CACHE_MB": "0"}  # fmt: skip


@pytest.mark.parametrize(
    ("server", "query", "code"),
    [
        ({**ONE_WORKER, "CCMKG_QUERY_TIMEOUT_S": "3"}, SLOW, "query-timeout"),
        ({**ONE_WORKER, "CCMKG_QUERY_MEMORY_MB": "200", "CCMKG_QUERY_TIMEOUT_S": "60"},
         CROSS_SORTED, "query-memory-limit"),
    ],
    indirect=["server"],
)  # fmt: skip
def test_a_stopped_query_takes_no_neighbour_with_it(server: Child, query: str, code: str) -> None:
    """One worker runs the hostile query and the probes beside it, in threads: the hostile
    one is stopped (its worker killed, or failed for memory) and answered 503 with its own
    code; a probe in flight there is run again and answered (workers: muxpool.py)."""
    hostile, probes = _hostile_beside_probes(server.base, query)
    assert hostile.status_code == 503, hostile.text[:300]
    assert hostile.json()["code"] == code
    failed = [(p.status_code, p.text[:200]) for p in probes if p.status_code != 200]
    assert len(probes) > 1 and not failed, failed[:3]
    assert len({p.json()["results"]["bindings"][0]["n"]["value"] for p in probes}) == 1
    server.assert_serving()
