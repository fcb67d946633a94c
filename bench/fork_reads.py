"""Why query workers read an on-disk checkpoint: a pyoxigraph in-memory store shared by fork.

    python bench/fork_reads.py                   # 1M synthetic triples (bench/synth.py + union)
    python bench/fork_reads.py --triples 300000

For each named query (its parameters picked for the synthetic data), three ways of reading the
same quads, each in a freshly forked child run three times in a row, the way a query worker
reads them:
- *memory*: the child inherits a pyoxigraph in-memory store from its parent (copy-on-write);
- *disk*: the child opens a read-only RocksDB store of the same quads (`Store.read_only`).
Printed: the time of each run and the private memory (USS) the child gained with its first
run. Reading the in-memory store writes to every quad node it walks (reference counts and a
lock per node), so the first run in a fresh child copies those pages: its time and private
memory show it; the second and third runs show the warm store. docs/decisions/store.md has the
figures and the decision.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synth
from ccmkg.catalogue import Catalogue
from ccmkg.store.embedded import _Dataset, _select_rows

BASE = "https://ccm-kg.org/"
QUERIES = [
    ("coordinators_in_year", {"area": "universalization", "year": "2014"}),
    ("api_holding_days", {"area": "universalization"}),
    ("api_presidencies", {}),
    ("api_persons", {}),
    ("api_meetings", {"kindClass": "coordination-committee"}),
]


def _private_mb() -> float:
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        kb = sum(int(line.split()[1]) for line in f if line.startswith("Private_"))
    return kb / 1024


def in_child(read: ox.Store | str, text: str, bindings: Mapping[str, Node]) -> str:
    """Fork; in the child run the query three times; return what the child reports."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a query worker's life, in short
        os.close(r)
        store = ox.Store.read_only(read) if isinstance(read, str) else read
        before = _private_mb()
        times, grown, rows = [], 0.0, 0
        for _ in range(3):
            t0 = time.perf_counter()
            answer = _select_rows(store, text, bindings, 10_000, _Dataset(base_iri=BASE))
            times.append((time.perf_counter() - t0) * 1000)
            rows = len(answer[1])
            grown = grown or _private_mb() - before
        os.write(w, pickle.dumps((times, grown, rows)))
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        times, grown, n = pickle.loads(f.read())
    os.waitpid(pid, 0)
    runs = " / ".join(f"{t:.0f}" for t in times)
    return f"{n} | {runs} ms | +{grown:.0f} MB"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    catalogue = Catalogue.load(base_iri=BASE)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        named, union = tmp / "named.nq", tmp / "union.nq"
        synth.write(named, args.triples)
        synth.write_with_union(union, named)
        disk_dir = str(tmp / "store")
        disk = ox.Store(disk_dir)
        disk.bulk_load(path=str(union), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        memory = ox.Store()
        memory.bulk_load(path=str(union), format=ox.RdfFormat.N_QUADS)
        print(f"{len(memory):,} quads (named graphs + union), {args.triples:,} triples asked\n")
        print("| query | store read by a fresh child | rows | runs 1 / 2 / 3 | USS after run 1 |")
        print("| --- | --- | ---: | --- | ---: |")
        for query, params in QUERIES:
            text, bindings = catalogue.get(query).text, catalogue.bindings(query, params)
            for label, read in (("memory, inherited", memory), ("disk, read-only", disk_dir)):
                print(f"| {query} | {label} | {in_child(read, text, bindings)} |", flush=True)


if __name__ == "__main__":
    main()
