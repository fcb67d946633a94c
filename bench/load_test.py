"""Load: 8 concurrent clients on the REST endpoints and /sparql, then the same while two more
clients loop expensive queries (issue #14: a 70-byte three-way cross join with COUNT, and an
unbounded property path).

Prints, for each phase: requests, errors, requests/s, p50 and p99, for the REST answers and
for /sparql separately; then the ratio of the loaded REST p99 to the unloaded one measured in
this same run (target ≤ 2×, and no REST error), and how the expensive queries ended (target:
every one stopped by a limit: 503 query-timeout or busy, or 429). The server runs in its own
process on 127.0.0.1 over the bundled corpus; each client is an asyncio task with one httpx
connection from an address of its own (127.0.0.10…, the expensive ones 127.0.0.2 and .3), as
distinct users would be.

    python bench/load_test.py                 # 2 × 60 s
    python bench/load_test.py --seconds 10    # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.rel_support import load_corpus, start_app_process  # noqa: E402

SPARQL = [
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    "PREFIX ccm: <https://ccm-kg.org/ontology#> SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50",
    "ASK { ?s ?p ?o }",
]
EXPENSIVE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",  # the 70 bytes
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x:p>|!<urn:x:p>)* ?o . "
    "?x (<urn:x:q>|!<urn:x:q>)* ?z }",
]


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expensive: list[tuple[int, str, float]] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    sparql: list[float] = field(default_factory=list)
    rest_errors: list[str] = field(default_factory=list)

    def pct(self, q: float, which: str = "latencies") -> float:
        ordered = sorted(getattr(self, which))
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def targets(base: str) -> list[tuple[str, dict[str, str]]]:
    """The request mix: every list endpoint, detail pages picked from them, /sparql queries."""
    out: list[tuple[str, dict[str, str]]] = [
        (p, {}) for p in ("/coordinators", "/presidencies", "/meetings", "/actors",
                          "/obligations", "/conflicts", "/persons", "/health", "/queries")
    ]  # fmt: skip
    with httpx.Client(base_url=base, timeout=60) as http:
        for listing, detail in (("/meetings", "/meetings/"), ("/actors", "/actors/")):
            body = http.get(listing).json()
            items = body.get("items", body) if isinstance(body, dict) else body
            for item in items[:3]:
                ident = item.get("id") if isinstance(item, dict) else None
                if ident:
                    out.append((detail + str(ident).rsplit("/", 1)[-1], {}))
    out += [("/sparql", {"query": q}) for q in SPARQL]
    return out


async def client(base: str, mix: list[tuple[str, dict[str, str]]], offset: int,
                 phase: Phase, deadline: float, local: str = "127.0.0.1") -> None:  # fmt: skip
    transport = httpx.AsyncHTTPTransport(local_address=local)
    async with httpx.AsyncClient(base_url=base, timeout=120, transport=transport) as http:
        i = offset
        while time.monotonic() < deadline:
            path, params = mix[i % len(mix)]
            i += 1
            start = time.monotonic()
            try:
                r = await http.get(path, params=params, headers={"Accept": "application/json"})
                if r.status_code != 200:
                    phase.errors.append(f"{r.status_code} {path}")
                    if path != "/sparql":
                        phase.rest_errors.append(f"{r.status_code} {path}")
            except httpx.HTTPError as exc:
                phase.errors.append(f"{type(exc).__name__} {path}")
                continue
            took = time.monotonic() - start
            phase.latencies.append(took)
            (phase.sparql if path == "/sparql" else phase.rest).append(took)


async def expensive_client(base: str, phase: Phase, deadline: float, local: str,
                           first: int) -> None:  # fmt: skip
    transport = httpx.AsyncHTTPTransport(local_address=local)
    async with httpx.AsyncClient(base_url=base, timeout=300, transport=transport) as http:
        i = first
        while time.monotonic() < deadline:
            start = time.monotonic()
            r = await http.get("/sparql", params={"query": EXPENSIVE[i % len(EXPENSIVE)]})
            i += 1
            code = r.json().get("code", "") if r.status_code != 200 else ""
            phase.expensive.append((r.status_code, code, time.monotonic() - start))


async def run_phase(base: str, mix: list[tuple[str, dict[str, str]]], phase: Phase,
                    clients: int, with_expensive: bool) -> None:  # fmt: skip
    deadline = time.monotonic() + phase.seconds
    tasks = [client(base, mix, k * 3, phase, deadline, f"127.0.0.{10 + k}") for k in range(clients)]
    if with_expensive:
        tasks += [expensive_client(base, phase, deadline, f"127.0.0.{2 + k}", k)
                  for k in range(EXPENSIVE_CLIENTS)]  # fmt: skip
    await asyncio.gather(*tasks)


EXPENSIVE_CLIENTS = 2
LIMITED = {(503, "query-timeout"), (503, "busy"), (429, "too-many-requests"),
           (503, "query-memory-limit")}  # fmt: skip


def report(phases: list[Phase], clients: int, timeout_s: float) -> str:
    lines = [
        "| phase | answers | requests | errors | requests/s | p50 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in phases:
        for label, which, errors in (("all", "latencies", p.errors), ("REST", "rest",
                                     p.rest_errors), ("/sparql", "sparql", None)):  # fmt: skip
            n = len(getattr(p, which))
            errs = len(errors) if errors is not None else len(p.errors) - len(p.rest_errors)
            lines.append(
                f"| {p.name} | {label} | {n} | {errs} | {n / p.seconds:.1f} | "
                f"{p.pct(0.50, which):.1f} | {p.pct(0.99, which):.1f} |"
            )
    base, loaded = phases
    ratio = loaded.pct(0.99, "rest") / base.pct(0.99, "rest") if base.pct(0.99) else float("nan")
    cut = [e for e in loaded.expensive if (e[0], e[1]) in LIMITED]
    took = [e[2] for e in loaded.expensive]
    outcomes = sorted({f"{s} {c}".strip() for s, c, _ in loaded.expensive})
    lines += [
        "",
        f"- clients: {clients} (plus {EXPENSIVE_CLIENTS} expensive-query clients in the "
        "second phase)",
        f"- REST p99 under expensive queries / unloaded REST p99: **{ratio:.2f}×** (target ≤ 2×)",
        f"- REST p50 ratio: {loaded.pct(0.5, 'rest') / base.pct(0.5, 'rest'):.2f}×"
        if base.pct(0.5, "rest")
        else "",
        f"- REST errors: {len(base.rest_errors) + len(loaded.rest_errors)} (target 0)",
        f"- expensive queries sent: {len(loaded.expensive)}; stopped by a limit: {len(cut)} "
        f"({', '.join(outcomes)}; time limit {timeout_s:g} s); median time to the answer "
        f"{statistics.median(took) if took else 0:.2f} s",
        f"- errors: {sorted(set(base.errors + loaded.errors))[:10] or 'none'}",
    ]
    return "\n".join(line for line in lines if line != "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--query-timeout", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2, help="CCMKG_QUERY_WORKERS of the server")
    ap.add_argument("--sparql-workers", type=int, default=2, help="CCMKG_SPARQL_WORKERS")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        load_corpus(store)
        env = {
            "CCMKG_STORE": str(store),
            "CCMKG_QUERY_TIMEOUT_S": str(args.query_timeout),
            "CCMKG_QUERY_WORKERS": str(args.workers),
            "CCMKG_SPARQL_WORKERS": str(args.sparql_workers),
            "CCMKG_SPARQL_CACHE_MB": "0",  # every /sparql query computed: the load is the point
        }
        app = start_app_process(env, Path(tmp) / "server.log", log_level="warning")
        try:
            mix = targets(app.base)
            # Warm-up, not measured: the first call of each endpoint loads its queries.
            warm = Phase("warm-up", max(args.seconds / 6, 3.0))
            asyncio.run(run_phase(app.base, mix, warm, args.clients, False))
            phases = [
                Phase("8 clients", args.seconds),
                Phase("8 clients + expensive", args.seconds),
            ]
            asyncio.run(run_phase(app.base, mix, phases[0], args.clients, False))
            asyncio.run(run_phase(app.base, mix, phases[1], args.clients, True))
        finally:
            app.stop()
    print(f"Request mix: {len(mix)} targets ({', '.join(sorted({p for p, _ in mix}))[:300]})\n")
    print(report(phases, args.clients, args.query_timeout))
    base, loaded = phases
    cut_all = all((code, c) in LIMITED for code, c, _ in loaded.expensive)
    met = (
        not base.rest_errors
        and not loaded.rest_errors
        and loaded.pct(0.99, "rest") <= 2 * base.pct(0.99, "rest")
        and bool(loaded.expensive)
        and cut_all
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
