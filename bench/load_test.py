"""Load: 8 concurrent clients on the REST endpoints and /sparql, then the same while a ninth
client loops expensive queries (a cartesian product, an unbounded property path).

Prints, for each phase: requests, errors, requests/s, p50 and p99; then the ratio of the
loaded p99 to the unloaded p99 measured in this same run (target ≤ 2×), and how the
expensive queries ended (target: every one cut at the time limit with code query-timeout).
The server runs in its own process on 127.0.0.1 over the bundled corpus; the clients are
asyncio tasks with one httpx connection each.

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
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
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

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
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
                 phase: Phase, deadline: float) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        i = offset
        while time.monotonic() < deadline:
            path, params = mix[i % len(mix)]
            i += 1
            start = time.monotonic()
            try:
                r = await http.get(path, params=params, headers={"Accept": "application/json"})
                if r.status_code != 200:
                    phase.errors.append(f"{r.status_code} {path}")
            except httpx.HTTPError as exc:
                phase.errors.append(f"{type(exc).__name__} {path}")
                continue
            phase.latencies.append(time.monotonic() - start)


async def expensive_client(base: str, phase: Phase, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=300) as http:
        i = 0
        while time.monotonic() < deadline:
            start = time.monotonic()
            r = await http.get("/sparql", params={"query": EXPENSIVE[i % len(EXPENSIVE)]})
            i += 1
            code = r.json().get("code", "") if r.status_code != 200 else ""
            phase.expensive.append((r.status_code, code, time.monotonic() - start))


async def run_phase(base: str, mix: list[tuple[str, dict[str, str]]], phase: Phase,
                    clients: int, with_expensive: bool) -> None:  # fmt: skip
    deadline = time.monotonic() + phase.seconds
    tasks = [client(base, mix, k * 3, phase, deadline) for k in range(clients)]
    if with_expensive:
        tasks.append(expensive_client(base, phase, deadline))
    await asyncio.gather(*tasks)


def report(phases: list[Phase], clients: int, timeout_s: float) -> str:
    lines = [
        "| phase | requests | errors | requests/s | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in phases:
        lines.append(
            f"| {p.name} | {len(p.latencies)} | {len(p.errors)} | "
            f"{len(p.latencies) / p.seconds:.1f} | {p.pct(0.50):.1f} | {p.pct(0.99):.1f} |"
        )
    base, loaded = phases
    ratio = loaded.pct(0.99) / base.pct(0.99) if base.pct(0.99) else float("nan")
    cut = [e for e in loaded.expensive if e[0] == 503 and e[1] == "query-timeout"]
    took = [e[2] for e in loaded.expensive]
    lines += [
        "",
        f"- clients: {clients} (plus 1 expensive-query client in the second phase)",
        f"- p99 under an expensive query / unloaded p99: **{ratio:.2f}×** (target ≤ 2×)",
        f"- p50 ratio: {loaded.pct(0.5) / base.pct(0.5):.2f}×" if base.pct(0.5) else "",
        f"- expensive queries sent: {len(loaded.expensive)}; cut at the time limit "
        f"({timeout_s:g} s) with 503 query-timeout: {len(cut)}; median time to the answer "
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
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        load_corpus(store)
        env = {
            "CCMKG_STORE": str(store),
            "CCMKG_QUERY_TIMEOUT_S": str(args.query_timeout),
            "CCMKG_QUERY_WORKERS": str(args.workers),
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
    cut_all = all(code == 503 and c == "query-timeout" for code, c, _ in loaded.expensive)
    met = (
        not base.errors
        and not loaded.errors
        and loaded.pct(0.99) <= 2 * base.pct(0.99)
        and bool(loaded.expensive)
        and cut_all
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
