"""Memory of the serving system: PSS per process of `ccmkg serve` and its workers, bytes/triple.

    python bench/memory.py                     # 1M synthetic triples (bench/synth.py --union)
    python bench/memory.py --triples 100000
    python bench/memory.py --nquads FILE       # a dump of your own (named graphs + union)

Builds the data as `bench/synth.py --triples N --union` writes it, bulk-loads it into an
embedded store directory, starts `ccmkg serve` on it (a real process, 127.0.0.1, a free port),
sends a few /sparql and REST requests (so that every worker has answered), then reads
/proc/PID/smaps_rollup of the server and of each of its child processes. PSS (proportional
set size) splits every shared page between the processes that map it, so the PSS of all
processes adds up to what the serving system really holds; USS is what a process holds alone.
bytes/triple divides the total PSS by the triples of the named graphs (the default-graph union
is not counted as data). The store's files are read through the OS page cache, which PSS does
not count (shared with every process, given back under pressure): their size on disk and how
much of them is in the page cache are printed beside the total. Also prints, for reference, an
in-process pyoxigraph in-memory store holding the same file (the engine's own floor) and
`oxigraph serve` on it when installed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synth
from bench.query import ccmkg_server

QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "PREFIX ccm: <https://ccm-kg.org/ontology#> SELECT ?m WHERE { ?m a ccm:Meeting } LIMIT 100",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g LIMIT 10",
]
REST = ["/coordinators?area=universalization&year=2016", "/meetings?limit=20", "/states"]


def smaps(pid: int) -> dict[str, int]:
    """Rss, Pss, Private (USS) of one process, in bytes."""
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[0].endswith(":") and parts[2] == "kB":
                out[parts[0][:-1]] = int(parts[1]) * 1024
    out["USS"] = out.get("Private_Clean", 0) + out.get("Private_Dirty", 0)
    return out


def descendants(pid: int) -> list[int]:
    """Every child process, recursively (from /proc/PID/task/*/children)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        p = stack.pop()
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    kids = [int(k) for k in f.read().split()]
                found += kids
                stack += kids
    return found


def name_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        return cmd[:60]
    except OSError:
        return "?"


def exercise(base: str, rounds: int = 3) -> None:
    """Every worker answers a few queries (more rounds than workers)."""
    with httpx.Client(timeout=120) as http:
        for _ in range(rounds):
            for q in QUERIES:
                http.post(f"{base}/sparql", content=q.encode(),
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/sparql-results+json"})  # fmt: skip
            for path in REST:
                http.get(f"{base}{path}")


def report(label: str, pids: list[tuple[str, int]], triples: int) -> int:
    print(f"\n### {label}\n")
    print("| process | RSS MB | PSS MB | USS MB |")
    print("| --- | ---: | ---: | ---: |")
    total = 0
    for role, pid in pids:
        m = smaps(pid)
        total += m.get("Pss", 0)
        print(f"| {role} ({pid}) | {m.get('Rss', 0) / 2**20:.0f} | {m.get('Pss', 0) / 2**20:.0f} "
              f"| {m['USS'] / 2**20:.0f} |")  # fmt: skip
    print(f"| **total** | | **{total / 2**20:.0f}** | |")
    print(f"\n{label}: {total / 2**20:.0f} MB PSS for {triples:,} triples → "
          f"**{total / triples:,.0f} bytes/triple** (goal 500)")  # fmt: skip
    return total


def page_cache(store_dir: Path) -> None:
    """The store directory's size, and how much of it the OS page cache holds (`fincore`)."""
    files = [p for p in store_dir.iterdir() if p.is_file()]  # read checkpoints link to these
    on_disk = sum(p.stat().st_size for p in files)
    line = f"\nstore directory: {on_disk / 2**20:.0f} MB on disk"
    if shutil.which("fincore"):
        out = subprocess.run(
            ["fincore", "--bytes", "--noheadings", "--output", "RES", *map(str, files)],
            capture_output=True,
            text=True,
        )
        cached = sum(int(x) for x in out.stdout.split() if x.isdigit())
        line += f", {cached / 2**20:.0f} MB of its files in the OS page cache (not in PSS)"
    print(line)


def engine_floor(nquads: Path, triples: int, what: str) -> None:
    """A pyoxigraph in-memory store with `nquads`, in a child: its PSS growth."""
    code = (
        "import pyoxigraph as ox,sys\n"
        "def pss():\n"
        "    for l in open('/proc/self/smaps_rollup'):\n"
        "        if l.startswith('Pss:'): return int(l.split()[1])*1024\n"
        "b=pss(); s=ox.Store(); s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)\n"
        "print(pss()-b, len(s))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(nquads)], capture_output=True, text=True)
    grown, quads = (int(x) for x in out.stdout.split())
    print(f"\npyoxigraph in-memory store alone, {what} ({quads:,} quads): "
          f"{grown / 2**20:.0f} MB → {grown / triples:,.0f} bytes/triple")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--nquads", type=Path, help="N-Quads with the union already in")
    ap.add_argument("--env", action="append", default=[], help="CCMKG_X=Y for the server")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-mem-"))
    try:
        if args.nquads is None:
            named = work / "named.nq"
            synth.write(named, args.triples)
            nquads = work / "union.nq"
            synth.write_with_union(nquads, named)
        else:
            nquads = args.nquads
        store_dir = work / "store"
        disk = ox.Store(str(store_dir))
        disk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        triples = sum(1 for q in disk if not isinstance(q.graph_name, ox.DefaultGraph))
        quads = len(disk)
        del disk
        print(f"{triples:,} triples in named graphs, {quads:,} quads with the default-graph union")
        # No /sparql answer cache: the repeated queries must reach the workers (see exercise).
        env = {"CCMKG_SPARQL_CACHE_MB": "0", **dict(e.split("=", 1) for e in args.env)}
        with ccmkg_server(store_dir, env) as (proc, base):
            exercise(base)
            time.sleep(1.0)
            pids = [("ccmkg serve", proc.pid)] + [
                (f"worker {name_of(p)[-20:]}", p) for p in descendants(proc.pid)
            ]
            report("ccmkg serve " + " ".join(args.env), pids, triples)
            page_cache(store_dir)
        engine_floor(nquads, triples, "the served file, default-graph union included")
        if args.nquads is None:  # what the union costs: the named graphs alone
            engine_floor(named, triples, "the named graphs alone")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
