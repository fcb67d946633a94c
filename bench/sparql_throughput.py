"""/sparql throughput of `ccmkg serve` against `oxigraph serve` on the same data, same client.

    python bench/sparql_throughput.py                   # the corpus, 4 clients, 15 s per side
    python bench/sparql_throughput.py --seconds 5 --clients 2 --rounds 3
    python bench/sparql_throughput.py --seconds 10 --clients 4 8   # each count in turn

The corpus is loaded by the real pipeline (reference data included, as `ccmkg serve` loads an
empty store), dumped with its default-graph union and bulk-loaded into `oxigraph serve`. Both
servers then get the same queries (every named query of queries/ with its example values,
round-robin) from the same client: `--clients` processes POSTing application/sparql-query and
asking for SPARQL JSON. Rounds alternate the two servers; the ratio printed is of the medians.
The guards stay on for ours (settings as shipped: limits, admission, workers), except that
CCMKG_SPARQL_PER_CLIENT is raised to --clients: every client process comes from 127.0.0.1.

Ours runs twice, on two copies of the store: with the answer cache off
(CCMKG_SPARQL_CACHE_MB=0), the figure the goal is about, and as shipped, with the cache on,
where every query after the first round is a repeat answered from memory (until a write).

Beside the rates it prints what each server spent per request in CPU time (user + system of
the server process and its query workers, reaped ones included, over the same rounds,
medians): on a machine shared with other jobs the rates follow the scheduler as much as the
server, while the CPU a request costs moves much less. And the share of the machine's CPU
left idle during the rounds (/proc/stat): where one server leaves the cores idle and the other
does not, the clients are waiting on latency, not on the cores (4 closed-loop clients on 2
cores: every request's fixed cost shows; with more clients both servers fill the cores).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import descendants
from bench.query import bench_params, ccmkg_server, oxigraph_server, throughput
from ccmkg.catalogue import Catalogue
from ccmkg.settings import Settings
from ccmkg.sparql_guard import scan
from ccmkg.store.remote import bind


def corpus_store(work: Path) -> Path:
    """An embedded store directory holding what `ccmkg serve` loads into an empty store."""
    from ccmkg.cli.serve import load_if_empty
    from ccmkg.store.embedded import EmbeddedStore

    location = work / "store"
    settings = Settings(store=str(location), query_workers=1, sparql_workers=1)
    store = EmbeddedStore(settings)
    try:
        load_if_empty(store, settings)
    finally:
        store.close()
    return location


def union_dump(location: Path, work: Path) -> Path:
    """Every quad of the store, default-graph union included, as oxigraph will hold it."""
    out = work / "all.nq"
    store = ox.Store.read_only(str(location))
    out.write_bytes(ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b"")
    return out


def queries(location: Path) -> list[str]:
    """Every named query with its example values bound, as a client would send it."""
    from ccmkg.store.embedded import EmbeddedStore

    settings = Settings(store=str(location), query_workers=1, sparql_workers=1)
    store = EmbeddedStore(settings)
    try:
        catalogue = Catalogue.load(base_iri=settings.base_iri)
        params = bench_params(catalogue, store)
        # A federated example (SERVICE) is refused by the default allow-list and would call
        # a remote endpoint: measure our own serving only.
        # (Read by the guard's scanner: the word in a comment, e.g. "api/services/", is not one.)
        local = [n for n in catalogue.names() if not scan(catalogue.get(n).text).services]
        return [bind(catalogue.get(n).text, catalogue.bindings(n, params[n])) for n in local]
    finally:
        store.close()


def prepared(work: Path) -> tuple[Path, list[str], Path]:
    """The corpus store under `work`, the query texts sent, and its N-Quads for oxigraph."""
    location = corpus_store(work)
    return location, queries(location), union_dump(location, work)


_TICK = os.sysconf("SC_CLK_TCK")
UNCACHED = "ccmkg serve /sparql, answer cache off"
OXIGRAPH = "oxigraph serve"
CACHED = "ccmkg serve /sparql, answer cache on (as shipped)"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and of its descendants, live or waited for.

    Each live process counts its own time and that of the children it has waited for (the
    forkserver reaps the query workers it started, a worker that retired included)."""

    def own(p: int) -> float:
        with open(f"/proc/{p}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / _TICK

    total = own(pid)
    for child in descendants(pid):
        with contextlib.suppress(OSError):  # it may have just exited
            total += own(child)
    return total


def server_pid(marker: str) -> int:
    """The pid of the process whose command line holds `marker` (its store directory)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    return int(entry)
    raise RuntimeError(f"no process with {marker} in its command line")


def machine_ticks() -> tuple[int, int]:
    """(idle, total) CPU ticks of the whole machine so far (/proc/stat; iowait counts idle)."""
    with open("/proc/stat", encoding="ascii") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    return ticks[3] + ticks[4], sum(ticks)


Round = tuple[float, float, float]


def measured(url: str, pid: int, texts: list[str], seconds: float, clients: int) -> Round:
    """(requests per second, CPU milliseconds the server spent per request, share of the
    machine's CPU left idle) of one round."""
    before, (idle_before, total_before) = cpu_seconds(pid), machine_ticks()
    rate = throughput(url, texts, seconds, clients)
    spent = cpu_seconds(pid) - before
    idle, total = machine_ticks()
    idle_share = (idle - idle_before) / max(total - total_before, 1)
    return rate, 1000 * spent / max(rate * (seconds + 0.5), 1), idle_share


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--clients", type=int, nargs="+", default=[4], help="one or more counts")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--env", action="append", default=[], help="CCMKG_X=Y for our server")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-tput-"))
    try:
        location, texts, nquads = prepared(work)
        # all clients come from 127.0.0.1: one "client" for the per-client admission (429)
        env = {"CCMKG_SPARQL_PER_CLIENT": str(max(args.clients))}
        env.update(dict(e.split("=", 1) for e in args.env))
        cached_copy = work / "store-cached"
        shutil.copytree(location, cached_copy)  # a second server: one process per store
        with (
            ccmkg_server(location, {**env, "CCMKG_SPARQL_CACHE_MB": "0"}) as (plain, plain_base),
            ccmkg_server(cached_copy, env) as (cached, cached_base),
            oxigraph_server(nquads, work) as ox_url,
        ):
            ox_pid = server_pid(str(work / "oxigraph-"))
            targets = {
                UNCACHED: (f"{plain_base}/sparql", plain.pid),
                OXIGRAPH: (ox_url, ox_pid),
                CACHED: (f"{cached_base}/sparql", cached.pid),
            }
            for clients in args.clients:
                ceiling = throughput(ox_url, ["ASK {}"], args.seconds / 3, clients)
                sides: dict[str, list[Round]] = {side: [] for side in targets}
                for _ in range(args.rounds):
                    for side, (url, pid) in targets.items():
                        sides[side].append(measured(url, pid, texts, args.seconds, clients))
                report(sides, len(texts), clients, args, ceiling)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(
    sides: dict[str, list[Round]],
    queries: int,
    clients: int,
    args: argparse.Namespace,
    ceiling: float,
) -> None:
    """The medians of the rounds of one client count, and the ratio the goal is about."""
    rate = {side: statistics.median(r for r, _, _ in rounds) for side, rounds in sides.items()}
    cpu = {side: statistics.median(c for _, c, _ in rounds) for side, rounds in sides.items()}
    idle = {side: statistics.median(i for _, _, i in rounds) for side, rounds in sides.items()}
    print(f"\n{queries} named queries round-robin, {clients} client processes, "
          f"{args.rounds} rounds of {args.seconds:.0f} s each (medians)")  # fmt: skip
    for side, rounds in sides.items():
        each = ", ".join(f"{x:.1f}" for x, _, _ in rounds)
        print(f"{side}: {rate[side]:.1f} req/s (rounds: {each}); "
              f"{cpu[side]:.2f} ms CPU per request; machine idle {idle[side]:.0%}")  # fmt: skip
    print(f"client ceiling (ASK {{}} on oxigraph): {ceiling:.0f} req/s")
    load = os.getloadavg()[0]
    print(f"CPU per request, answer cache off: ours {cpu[UNCACHED] / cpu[OXIGRAPH]:.2f}x "
          f"oxigraph serve's; load average {load:.1f}")  # fmt: skip
    print(f"with the answer cache (every query repeats): {rate[CACHED] / rate[OXIGRAPH]:.0%}"
          " of oxigraph serve, not the figure for the goal")  # fmt: skip
    print(f"ratio, answer cache off, {clients} clients: "
          f"**{rate[UNCACHED] / rate[OXIGRAPH]:.0%}** of oxigraph serve (goal ≥ 90%)")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
