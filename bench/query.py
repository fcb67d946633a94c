"""Named-query latency and /sparql throughput, as ratios against baselines measured in the run.

Every data set is held the way our stores hold it: the named graphs plus, in the default graph,
their de-duplicated union (bench/synth.py `with_union`); every engine gets that same file.
For every named query (its `example` parameters, adapted to the data set), the median latency
on: the embedded store in process (the raw store: no time limit), the embedded store through its
time-limited worker pool, our /sparql over HTTP (RemoteStore → our app in its own process → an
embedded store on the same data), `oxigraph serve` over HTTP (same client), and rdflib's
in-memory SPARQL engine. Then /sparql throughput with 4 client processes against our app and
against `oxigraph serve` (no union mode: the default graph is already the union), with the
client's own ceiling (a trivial query) to show the client is not the bottleneck; and
"coordinators in a year" against a plain scan of all coordinator holdings.

    python bench/query.py                      # corpus + 1M synthetic triples
    python bench/query.py --quick              # corpus + 100k, fewer repeats
    python bench/query.py --sizes 1000000 --no-rdflib
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synth
from ccmkg.catalogue import Catalogue
from ccmkg.errors import QueryTimeout
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store.remote import bind

ID = "https://ccm-kg.org/id/"
RDFLIB_TIMEOUT_S = 30.0
LIMIT_S = 60.0  # per query on our stores; a runaway query is reported as "timeout"
SCAN_YEAR = """PREFIX ccm: <https://ccm-kg.org/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT DISTINCT ?year ?area ?state ?holding WHERE {
  ?holding a ccm:PostHolding ; org:role ccm:Coordinator ; ccm:holder ?state ; ccm:post ?post .
  ?post ccm:coversArea ?area .
  OPTIONAL { ?holding ccm:mandateYear ?my }
  OPTIONAL { ?holding org:memberDuring ?t . ?t ccm:startDate ?s . OPTIONAL { ?t ccm:endDate ?e } }
  OPTIONAL { ?att ccm:attests ?holding ; dcterms:date ?d }
  FILTER(xsd:integer(STR(?my)) = ?year
         || (YEAR(?s) <= ?year && ?year <= COALESCE(YEAR(?e), 9999)) || YEAR(?d) = ?year)
}"""


def median_ms(fn: Callable[[], Any], repeats: int) -> float | None:
    """Median wall time in ms, or None when the store's time limit stopped the query."""
    try:
        fn()  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    except QueryTimeout:
        return None
    return statistics.median(times) * 1000


# --- data sets ----------------------------------------------------------------------------


def corpus_nquads(work: Path) -> Path:
    """The bundled corpus, loaded by the real pipeline, dumped as N-Quads."""
    from ccmkg.loaders.pipeline import load_paths
    from ccmkg.store.embedded import EmbeddedStore

    settings = Settings(store=str(work / "corpus-store"), query_workers=1)
    store = EmbeddedStore(settings)
    try:
        load_paths(store, settings, corpus_files())
        out = work / "corpus.nq"
        out.write_bytes(store.dump_nquads())
    finally:
        store.close()
    return out


def synthetic_nquads(work: Path, size: int) -> Path:
    out = work / f"synth-{size}.nq"
    synth.write(out, size)
    return out


def first(store: Any, query: str) -> str | None:
    rows = store.select(query).rows
    return str(next(iter(rows[0].values()))) if rows else None


def bench_params(catalogue: Catalogue, store: Any) -> dict[str, dict[str, str]]:
    """Each query's example, with IRIs replaced by ones present in this data set."""
    p = "PREFIX ccm: <https://ccm-kg.org/ontology#>\n"
    person = first(store, p + "SELECT ?x WHERE { ?x a ccm:Person } ORDER BY ?x LIMIT 1")
    meeting = first(
        store,
        p + "SELECT ?x WHERE { ?a ccm:atMeeting ?x } GROUP BY ?x ORDER BY DESC(COUNT(?a)) LIMIT 1",
    )
    fact = first(store, p + "SELECT ?x WHERE { ?x a ccm:PostHolding } ORDER BY ?x LIMIT 1")
    year = first(
        store,
        p + "SELECT (MAX(YEAR(?d)) AS ?y) WHERE { ?x a ccm:Attestation ; "
        "<http://purl.org/dc/terms/date> ?d }",
    )
    day = first(
        store,
        p + "SELECT (MAX(?d) AS ?x) WHERE { ?x0 a ccm:Attestation ; "
        "<http://purl.org/dc/terms/date> ?d }",
    )
    state = first(
        store,
        p + "SELECT ?i WHERE { ?h ccm:holder ?s . ?s ccm:iso3 ?i } GROUP BY ?i "
        "ORDER BY DESC(COUNT(?h)) LIMIT 1",
    )
    out = {}
    for name in catalogue.names():
        params = dict(catalogue.get(name).example)
        for key in params:
            if key == "person" and person:
                params[key] = person
            elif key == "meeting" and meeting:
                params[key] = meeting
            elif key == "fact" and fact:
                params[key] = fact
            elif key == "year" and year:
                params[key] = year
            elif key == "date" and day:
                params[key] = day
            elif key == "state" and state:
                params[key] = state
        for param in catalogue.get(name).params:  # required but not in the example
            if param.required and param.name not in params:
                params[param.name] = {"state": state or "ZMB", "year": year or "2016"}.get(
                    param.type, "a"
                )
        out[name] = params
    return out


# --- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(1200):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, params={"query": "ASK {}"}).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def serve_app(location: str, port: int) -> None:
    """Child mode: our app on an embedded store, as `ccmkg serve` runs it (uvicorn, 1 process)."""
    import uvicorn

    from ccmkg.api.main import create_app
    from ccmkg.store.embedded import EmbeddedStore

    settings = Settings(
        store=location, query_workers=2, max_result_rows=100_000, query_timeout_s=LIMIT_S
    )
    store = EmbeddedStore(settings)
    uvicorn.run(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")


@contextlib.contextmanager
def app_server(location: Path) -> Iterator[str]:
    """Our app in its own process (not a thread of this one: the clients must not share its
    interpreter lock)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(location), str(port)],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/sparql", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


@contextlib.contextmanager
def ccmkg_server(
    store_dir: Path, env_extra: dict[str, str], python: str = sys.executable, isolated: bool = False
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`python -m ccmkg.cli serve` on `store_dir` on a free port, stopped (SIGTERM, then
    SIGKILL) when done. `isolated`: run from / without PYTHONPATH, so that `python` serves its
    own installed ccmkg (another checkout's venv), not this one's."""
    port = free_port()
    env = {**os.environ, "CCMKG_STORE": str(store_dir), **env_extra}
    if isolated:
        env.pop("PYTHONPATH", None)
    cmd = [python, "-m", "ccmkg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd="/" if isolated else None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(2400):
            if proc.poll() is not None:
                raise RuntimeError(f"{python} -m ccmkg.cli serve exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("ccmkg serve did not start")
        yield proc, base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextlib.contextmanager
def oxigraph_server(nquads: Path, work: Path) -> Iterator[str]:
    """`oxigraph serve` on a store bulk-loaded from the same file (default graph = the union
    already, so no `--union-default-graph`, which would count each triple once per graph)."""
    binary = Path(sys.executable).with_name("oxigraph")
    location = work / f"oxigraph-{nquads.stem}"
    subprocess.run(
        [str(binary), "load", "--location", str(location), "--file", str(nquads)],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/query", proc)
        yield f"{base}/query"
    finally:
        proc.terminate()
        proc.wait(10)


def _client(url: str, queries: list[str], start: int, stop: float, out: Any) -> None:
    """One client process: POSTs the queries round-robin until `stop`; sends its count."""
    n = done = 0
    with httpx.Client(timeout=LIMIT_S) as http:
        while time.time() < stop:
            r = http.post(
                url, content=queries[(start + n) % len(queries)].encode(),
                headers={"Content-Type": "application/sparql-query",
                         "Accept": "application/sparql-results+json"},
            )  # fmt: skip
            r.raise_for_status()
            done += 1
            n += 1
    out.send(done)


def throughput(url: str, queries: list[str], seconds: float, clients: int = 4) -> float:
    """Requests per second of `clients` client processes POSTing the queries round-robin."""
    ctx = mp.get_context("fork")
    stop = time.time() + 0.5 + seconds
    pipes, procs = [], []
    for i in range(clients):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_client, args=(url, queries, i, stop, child), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    total = sum(int(p.recv()) for p in pipes)
    for proc in procs:
        proc.join()
    return total / (seconds + 0.5)


# --- rdflib, in a child process so that a runaway query can be stopped ----------------------


def _rdflib_worker(nquads: str, conn: Any) -> None:
    import rdflib
    from rdflib.plugins import sparql

    sparql.SPARQL_LOAD_GRAPHS = False
    dataset = rdflib.Dataset()  # the file's default graph is the union
    dataset.parse(nquads, format="nquads")
    conn.send("ready")
    while True:
        message = conn.recv()
        if message is None:
            return
        text, bindings, repeats = message
        times = []
        try:
            for _ in range(repeats):
                start = time.perf_counter()
                list(dataset.query(text, initBindings=bindings))
                times.append(time.perf_counter() - start)
        except Exception as exc:  # rdflib's own limits (e.g. unbound variables in aggregates)
            conn.send(f"error: {type(exc).__name__}")
            continue
        conn.send(statistics.median(times) * 1000)


class RdflibRunner:
    def __init__(self, nquads: Path) -> None:
        self.nquads = nquads
        self._start()

    def _start(self) -> None:
        self.conn, child = mp.Pipe()
        self.proc = mp.get_context("fork").Process(
            target=_rdflib_worker, args=(str(self.nquads), child), daemon=True
        )
        self.proc.start()
        self.conn.recv()

    def median_ms(self, text: str, bindings: dict[str, Any], repeats: int) -> float | str | None:
        self.conn.send((text, bindings, repeats))
        if self.conn.poll(RDFLIB_TIMEOUT_S * repeats):
            answer = self.conn.recv()
            return answer if isinstance(answer, str) else float(answer)
        self.proc.kill()
        self.proc.join()
        self._start()
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()


# --- the run ------------------------------------------------------------------------------


def fmt_ms(value: float | str | None) -> str:
    if isinstance(value, str):
        return value
    return "timeout" if value is None else f"{value:.1f}"


def ratio(a: float | str | None, b: float | str | None) -> str:
    if not isinstance(a, float) or not isinstance(b, float) or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def union_file(named: Path, work: Path) -> Path:
    out = work / f"{named.stem}-union.nq"
    synth.write_with_union(out, named)
    return out


def bench_dataset(
    label: str, named: Path, work: Path, repeats: int, seconds: float, with_rdflib: bool
) -> None:
    from ccmkg.store.embedded import EmbeddedStore
    from ccmkg.store.remote import RemoteStore

    nquads = union_file(named, work)
    location = work / f"embedded-{named.stem}"
    disk = ox.Store(str(location))
    disk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    total = len(disk)
    del disk
    served = work / f"served-{named.stem}"
    shutil.copytree(location, served)
    settings = Settings(
        store=str(location), query_workers=2, max_result_rows=100_000, query_timeout_s=LIMIT_S
    )
    store = EmbeddedStore(settings)
    catalogue = Catalogue.load(base_iri=settings.base_iri)
    params = bench_params(catalogue, store)
    rdflib_runner = RdflibRunner(nquads) if with_rdflib else None
    print(
        f"\n### {label}: {store.triple_count():,} quads in named graphs, {total:,} with the "
        f"default-graph union\n"
    )
    print("| query | rows | raw ms | worker ms | /sparql ms | oxigraph ms | rdflib ms "
          "| /sparql ÷ raw | oxigraph ÷ raw | rdflib ÷ raw |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    try:
        with app_server(served) as base, oxigraph_server(nquads, work) as ox_url:
            ours = RemoteStore(Settings(store=f"{base}/sparql", max_result_rows=100_000))
            theirs = RemoteStore(Settings(store=ox_url, max_result_rows=100_000))
            texts = []
            for name in catalogue.names():
                p = params[name]
                b = catalogue.bindings(name, p)
                rows = len(catalogue.run(store, name, p).rows)
                other = len(catalogue.run(theirs, name, p).rows)
                if other != rows:  # same data, same query: a difference is a bench defect
                    print(f"<!-- {name}: {rows} rows here, {other} on oxigraph serve -->")
                raw = median_ms(lambda n=name, p=p: catalogue.run(store, n, p), repeats)
                a = median_ms(
                    lambda n=name, p=p: catalogue.run(store, n, p, timeout_s=LIMIT_S), repeats
                )
                h = median_ms(
                    lambda n=name, p=p: catalogue.run(ours, n, p, timeout_s=LIMIT_S), repeats
                )
                o = median_ms(lambda n=name, p=p: catalogue.run(theirs, n, p), repeats)
                texts.append(bind(catalogue.get(name).text, b))
                r = (
                    rdflib_runner.median_ms(catalogue.get(name).text, b, max(1, repeats // 5))
                    if rdflib_runner
                    else None
                )
                rd = fmt_ms(r) if rdflib_runner else "n/a"
                print(
                    f"| {name} | {rows} | {fmt_ms(raw)} | {fmt_ms(a)} | {fmt_ms(h)} | {fmt_ms(o)} "
                    f"| {rd} | {ratio(h, raw)} | {ratio(o, raw)} | {ratio(r, raw)} |",
                    flush=True,
                )
            year = params["coordinators_in_year"]["year"]
            yb = catalogue.bindings("coordinators_in_year", {"year": year})
            named_ms = median_ms(
                lambda: catalogue.run(store, "coordinators_in_year", {"year": year}), repeats
            )
            scan_ms = median_ms(lambda: store.select(SCAN_YEAR, bindings=yb), repeats)
            print(
                f"\ncoordinators_in_year (every area, {year}), in process: named query "
                f"{fmt_ms(named_ms)} ms, plain scan of all coordinator holdings {fmt_ms(scan_ms)} "
                f"ms → {ratio(scan_ms, named_ms)} faster\n"
            )
            ceiling = throughput(ox_url, ["ASK {}"], seconds / 3)
            ours_rps = throughput(f"{base}/sparql", texts, seconds)
            theirs_rps = throughput(ox_url, texts, seconds)
        print(
            f"/sparql throughput, 4 client processes, all named queries round-robin: ours "
            f"{ours_rps:.1f} req/s, oxigraph serve {theirs_rps:.1f} req/s → "
            f"{100 * ours_rps / theirs_rps:.0f}% (client ceiling, ASK {{}} on oxigraph: "
            f"{ceiling:.0f} req/s)",
            flush=True,
        )
    finally:
        if rdflib_runner:
            rdflib_runner.close()
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="synthetic sizes")
    parser.add_argument("--quick", action="store_true", help="100k instead of 1M, fewer repeats")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib column")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--serve", nargs=2, metavar=("STORE", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_app(args.serve[0], int(args.serve[1]))
        return
    sizes = args.sizes if args.sizes is not None else ([100_000] if args.quick else [1_000_000])
    repeats, seconds = (5, 5.0) if args.quick else (11, 15.0)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-bench-"))
    try:
        if not args.no_corpus:
            bench_dataset("corpus", corpus_nquads(work), work, repeats, seconds, not args.no_rdflib)
        for size in sizes:
            nq = synthetic_nquads(work, size)
            bench_dataset(f"synthetic {size:,}", nq, work, repeats, seconds, not args.no_rdflib)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
