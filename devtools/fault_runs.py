"""Fault injection runs shared by tests/reliability/test_faults.py (a few rounds) and
bench/faults.py (20 rounds each): kill -9 the loader mid-load and the server mid-ingest, and
take the remote store away mid-request.

Each run returns what it observed; the callers assert on it (tests) or print it (bench).
"What was committed" is known from the outside: the loader prints a line per document after
its write, the server answers 201 after its write. At most one write can be in flight at the
moment of the kill: it may or may not have committed, but never in part.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import open_store
from devtools.rel_support import (
    ROOT,
    TOKEN,
    OxigraphProcess,
    build_app,
    serve_in_thread,
    start_app_process,
)


def store_graphs(store_dir: Path) -> dict[str, int]:
    """Open an embedded store the way a restart does; its graphs → triple counts."""
    store = open_store(Settings(store=str(store_dir)))
    try:
        return store.graphs()
    finally:
        store.close()


# --- the loader ---------------------------------------------------------------------------


@dataclass
class LoaderKill:
    delay_s: float
    reported: int  # documents the loader said it had written before it died
    found: dict[str, int]  # document graphs in the store after restart
    incomplete: list[str]  # graphs whose triple count differs from a clean load
    missing_reported: int  # documents reported written but absent

    batch: int = 1  # documents per all-or-nothing write
    total: int = 0  # documents in the load

    @property
    def ok(self) -> bool:
        whole = len(self.found) % self.batch == 0 or len(self.found) == self.total
        return (
            not self.incomplete
            and self.missing_reported == 0
            and (len(self.found) - self.reported <= self.batch)
            and whole
        )


def make_documents(folder: Path, count: int) -> Path:
    """`count` distinct documents (corpus files with a line appended), one graph each."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = corpus_files()
    for i in range(count):
        src = sources[i % len(sources)]
        (folder / f"{i:03d}_{src.name}").write_bytes(src.read_bytes() + f"\ncopy {i}\n".encode())
    return folder


def clean_load(docs: Path, store_dir: Path) -> dict[str, int]:
    """The reference: the same documents loaded without interruption."""
    from ccmkg.loaders.pipeline import load_paths

    settings = Settings(store=str(store_dir))
    store = open_store(settings)
    try:
        load_paths(store, settings, [docs])
        return store.graphs()
    finally:
        store.close()


def kill_loader(
    docs: Path, store_dir: Path, expected: dict[str, int], delay_s: float, batch: int = 2
) -> LoaderKill:
    """Run `ccmkg load --batch N` (the real CLI, own process), SIGKILL it after `delay_s`,
    reopen: documents come in whole batches, each graph complete."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    env.pop("CCMKG_STORE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ccmkg.cli", "load", str(docs), "--store", str(store_dir),
         "--batch", str(batch)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT,
    )  # fmt: skip
    time.sleep(delay_s)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    lines = err.decode("utf-8", "replace")
    reported = max((int(m) for m in re.findall(r"^(\d+)/\d+ ", lines, re.M)), default=0)
    total = sum(1 for g in expected if "/graph/doc/" in g)
    if not store_dir.exists():
        return LoaderKill(delay_s, reported, {}, [], reported, batch, total)
    found = store_graphs(store_dir)
    docs_found = {g: n for g, n in found.items() if "/graph/doc/" in g}
    incomplete = [g for g, n in found.items() if expected.get(g) != n]
    missing = max(reported - len(docs_found), 0)
    return LoaderKill(delay_s, reported, docs_found, incomplete, missing, batch, total)


# --- the server, mid-ingest ---------------------------------------------------------------


def upload(tag: str, triples: int) -> bytes:
    """A conforming N-Triples upload of `triples` triples, distinct per `tag`."""
    return "".join(
        f'<https://example.org/fault/{tag}/{k}> <https://example.org/fault/value> "v{k}" .\n'
        for k in range(triples)
    ).encode()


@dataclass
class IngestKill:
    delay_s: float
    acknowledged: int  # 201 answers received before the kill
    before: dict[str, int]
    after: dict[str, int]
    lost: list[str] = field(default_factory=list)  # acknowledged but absent after restart
    changed: list[str] = field(default_factory=list)  # graphs from before with another count
    half: list[str] = field(default_factory=list)  # upload without its record, or short
    unacknowledged: int = 0  # complete uploads present without a 201 (the one in flight)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.changed or self.half) and self.unacknowledged <= 1


def kill_server_mid_ingest(
    store_dir: Path, log_path: Path, delay_s: float, triples: int = 2_000
) -> IngestKill:
    """Start the server on `store_dir`, ingest in a loop, SIGKILL it after `delay_s`, reopen.

    Checks: every acknowledged upload is there whole (data + provenance, all triples); every
    graph that was there before is unchanged; at most one unacknowledged upload, whole.
    """
    before = store_graphs(store_dir)
    env = {"CCMKG_STORE": str(store_dir), "CCMKG_INGEST_TOKEN": TOKEN}
    app = start_app_process(env, log_path, log_level="warning")
    acked: dict[str, int] = {}
    stop = threading.Event()

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = http.post(
                        f"{app.base}/ingest",
                        content=upload(f"{os.getpid()}-{time.monotonic_ns()}-{i}", triples),
                        headers={"Content-Type": "application/n-triples",
                                 "Authorization": f"Bearer {TOKEN}"},
                    )  # fmt: skip
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 201:
                    acked[r.json()["graph"]] = r.json()["triples"]

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    time.sleep(delay_s)
    app.kill9()
    stop.set()
    thread.join(timeout=60)
    after = store_graphs(store_dir)
    out = IngestKill(delay_s, len(acked), before, after)
    out.changed = [g for g, n in before.items() if after.get(g) != n]
    out.lost = [g for g in acked if g not in after]
    for g, n in after.items():
        if g in before or g.endswith("/provenance"):
            continue
        if after.get(f"{g}/provenance", 0) == 0 or n != triples:
            out.half.append(g)
        elif g not in acked:
            out.unacknowledged += 1
    out.half += [
        g for g in after if g.endswith("/provenance") and g not in before
        and g.removesuffix("/provenance") not in after
    ]  # fmt: skip
    return out


# --- the remote store ---------------------------------------------------------------------


@dataclass
class OutageStep:
    what: str
    status: int
    code: str
    message: str


def remote_outage(location: Path, port: int, on_step: Callable[[OutageStep], None]) -> None:
    """A server over `oxigraph serve`: up, killed between requests, killed mid-request, back.

    Every request's outcome is passed to `on_step`; the caller judges.
    """
    oxi = OxigraphProcess(location, port, timeout_s=30)
    oxi.start()
    settings = Settings(
        store=f"{oxi.base}/query", store_update_url=f"{oxi.base}/update",
        ingest_token=TOKEN, query_timeout_s=20,
    )  # fmt: skip
    store = open_store(settings)
    store.clear()
    store.replace_graphs({"https://example.org/outage/g": _small_graph()})
    requests = [
        ("GET /health", "GET", "/health", {}),
        ("GET /coordinators", "GET", "/coordinators", {}),
        ("GET /sparql", "GET", "/sparql", {"params": {"query": "ASK { ?s ?p ?o }"}}),
        ("POST /ingest", "POST", "/ingest", {
            "content": upload("outage", 3),
            "headers": {"Content-Type": "application/n-triples",
                        "Authorization": f"Bearer {TOKEN}"},
        }),
    ]  # fmt: skip
    try:
        with serve_in_thread(build_app(settings, store)) as base, httpx.Client(timeout=60) as http:

            def run(phase: str) -> None:
                for name, method, path, kw in requests:
                    r = http.request(method, f"{base}{path}", **kw)  # type: ignore[arg-type]
                    body = _json(r)
                    on_step(OutageStep(f"{phase}: {name}", r.status_code, body.get("code", ""),
                                       body.get("message", "")))  # fmt: skip

            run("store up")
            oxi.kill9()
            run("store down")
            oxi.start()
            slow: list[httpx.Response] = []
            query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
            store.replace_graphs({"https://example.org/outage/big": _small_graph(300)})
            t = threading.Thread(
                target=lambda: slow.append(
                    http.get(f"{base}/sparql", params={"query": query}, timeout=60)
                )
            )
            t.start()
            time.sleep(1.0)
            oxi.kill9()
            t.join(timeout=60)
            r = slow[0]
            body = _json(r)
            on_step(OutageStep("killed mid-request: GET /sparql (slow)", r.status_code,
                               body.get("code", ""), body.get("message", "")))  # fmt: skip
            oxi.start()
            run("store back")
    finally:
        store.close()
        oxi.kill9()


def _small_graph(n: int = 5):  # type: ignore[no-untyped-def]
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    for k in range(n):
        g.add((URIRef(f"https://example.org/outage/{k}"), URIRef("https://example.org/p"),
               Literal(k)))  # fmt: skip
    return g


def _json(r: httpx.Response) -> dict[str, str]:
    try:
        body = r.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def random_delays(n: int, low: float, high: float, seed: int | None = None) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(low, high) for _ in range(n)]
