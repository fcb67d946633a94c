"""REST API latency as a ratio to running its named queries straight on the store.

For every endpoint, p50 and p99 of N HTTP requests to a live uvicorn server, against p50 and p99
of running the same named queries (same parameters) with `Catalogue.run` on the same store, in
the same run. Target: API p50 ≤ 1.3× the direct queries. Data: the bundled corpus (loaded with
the loaders pipeline) and, with --synth N, a synthetic CCM-shaped graph of ~N triples from
bench/synth.py.

    python bench/api.py                       # corpus only
    python bench/api.py --synth 1000000 -n 30 # plus the 1M-triple synthetic graph
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import uvicorn
from rdflib import Dataset, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.main import create_app  # noqa: E402
from ccmkg.catalogue import Catalogue  # noqa: E402
from ccmkg.resources import corpus_files, ontology_file  # noqa: E402
from ccmkg.settings import Settings  # noqa: E402
from ccmkg.store import Store, open_store  # noqa: E402

BASE = "https://ccm-kg.org/"
MEETING = "coordination-committee-2016-05-26"

# endpoint → the named queries (and parameters) it runs
CASES: list[tuple[str, dict[str, str], list[tuple[str, dict[str, str]]]]] = [
    (
        "/coordinators",
        {"area": "universalization", "year": "2016"},
        [("api_coordinators", {"area": "universalization"})],
    ),
    ("/coordinators", {}, [("api_coordinators", {})]),
    ("/presidencies", {}, [("api_presidencies", {})]),
    ("/meetings", {"kind": "coordination-committee"}, [("api_meetings", {})]),
    (
        f"/meetings/{MEETING}",
        {},
        [
            ("api_meetings", {"meeting": f"{BASE}id/meeting/{MEETING}"}),
            ("api_meeting_attendance", {"meeting": f"{BASE}id/meeting/{MEETING}"}),
            ("api_meeting_apologies", {"meeting": f"{BASE}id/meeting/{MEETING}"}),
            ("api_meeting_records", {"meeting": f"{BASE}id/meeting/{MEETING}"}),
        ],
    ),
    ("/actors", {"q": "zamb"}, [("api_actors", {})]),
    (
        "/actors/ZMB/timeline",
        {},
        [
            ("api_actors", {"actor": f"{BASE}id/state/ZMB"}),
            ("api_actor_timeline", {"actor": f"{BASE}id/state/ZMB"}),
        ],
    ),
    ("/persons", {"q": "masmejan"}, [("api_persons", {})]),
    ("/obligations", {"article": "4"}, [("api_obligation_events", {})]),
    ("/conflicts", {}, [("api_conflicts", {})]),
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def timed(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm-up (caches, first parse)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


@contextlib.contextmanager
def serve(settings: Settings, store: Store) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(
        create_app(settings, store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def load_corpus(store: Store, settings: Settings) -> None:
    from loaders.pipeline import load_paths

    load_paths(store, settings, corpus_files())


def load_synth(store: Store, triples: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    with tempfile.NamedTemporaryFile(suffix=".nq") as tmp:
        synth.write(Path(tmp.name), triples)
        dataset = Dataset()
        dataset.parse(tmp.name, format="nquads")
    graphs: dict[str, Graph] = {}
    for context in dataset.graphs():
        if isinstance(context.identifier, URIRef) and len(context):
            graphs[str(context.identifier)] = Graph() + context
    graphs[f"{BASE}graph/ontology"] = Graph().parse(ontology_file(), format="turtle")
    store.replace_graphs(graphs)


def bench(label: str, settings: Settings, store: Store, n: int) -> None:
    catalogue = Catalogue.load(base_iri=settings.base_iri)
    print(f"\n## {label}: {store.triple_count()} triples, {n} runs each")
    print("| endpoint | API p50 ms | API p99 ms | queries p50 ms | queries p99 ms | p50 ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with serve(settings, store) as base, httpx.Client(base_url=base, timeout=60) as client:
        for path, params, queries in CASES:

            def direct(queries=queries) -> None:
                for name, qparams in queries:
                    catalogue.run(store, name, qparams, max_rows=settings.max_result_rows)

            def http(path=path, params=params) -> None:
                client.get(path, params=params).raise_for_status()

            api50, api99 = percentiles(timed(http, n))
            q50, q99 = percentiles(timed(direct, n))
            shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
            print(
                f"| {shown} | {api50:.1f} | {api99:.1f} | {q50:.1f} | {q99:.1f} "
                f"| {api50 / q50:.2f}× |"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="requests per endpoint")
    parser.add_argument("--synth", type=int, default=0, help="also a synthetic graph of ~N triples")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=str(Path(tmp) / "corpus"), base_iri=BASE)
        store = open_store(settings)
        try:
            load_corpus(store, settings)
            bench("corpus", settings, store, args.n)
        finally:
            store.close()
        if args.synth:
            settings = Settings(store=str(Path(tmp) / "synth"), base_iri=BASE)
            store = open_store(settings)
            try:
                load_synth(store, args.synth)
                bench(f"synthetic ~{args.synth}", settings, store, args.n)
            finally:
                store.close()


if __name__ == "__main__":
    main()
