"""The first query after a write: with the workers started once writes pause, against forked
by that query (as before stop 23), in the same run.

A write retires the query workers of the old version. The store now forks the new ones when
no write came for `WARM_AFTER_WRITE_S` (ccmkg/store/embedded.py); before, the next query
forked them and waited. Each round writes one small graph, waits `--pause` seconds (a
researcher reading the ingest's answer), then times one query (`api_area_holdings_unsourced`,
GET /coordinators?area=universalization&sources=none), then the same query again (warm). The
two arms alternate, on the same store; medians.

    python bench/after_write.py --synth 1000000 --rounds 7
    python bench/after_write.py --store DIR --rounds 7   # a copy of a store directory

This script's own main imports bench/api.py (FastAPI included): before the forkserver preloaded
the main script (ccmkg/store/forkmain.py), every worker imported it again, and the first query
after a write cost 0.6-1 s in both arms.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import opened_store, synth_store  # noqa: E402
from ccmkg.catalogue import Catalogue  # noqa: E402
from ccmkg.settings import Settings  # noqa: E402
from ccmkg.store import Store, embedded  # noqa: E402

QUERY = ("api_area_holdings_unsourced", {"area": "universalization"})
PROBE = "https://ccm-kg.org/graph/bench-after-write"


def timed(catalogue: Catalogue, store: Store) -> float:
    t0 = time.perf_counter()
    catalogue.run(store, *QUERY, timeout_s=60)
    return (time.perf_counter() - t0) * 1000


def write(store: Store, n: int) -> None:
    graph = Graph()
    graph.add((URIRef(PROBE + "#s"), URIRef(PROBE + "#p"), Literal(n)))
    store.replace_graphs({PROBE: graph})


@contextlib.contextmanager
def opened(tmp: Path, args: argparse.Namespace) -> Iterator[tuple[Settings, Store]]:
    """A copy of --store, or bench/synth.py's graph bulk-loaded (bench/api.py), opened."""
    if args.store is None:
        with synth_store(tmp, args.synth) as pair:
            yield pair
        return
    copy = tmp / "store"
    shutil.copytree(args.store, copy, ignore=shutil.ignore_patterns("ccmkg-read-snapshots"))
    with opened_store(copy) as pair:
        yield pair


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--synth", type=int, default=1_000_000, help="triples of bench/synth.py")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between write and query")
    parser.add_argument("--store", type=Path, help="a store directory to copy instead of --synth")
    args = parser.parse_args(argv)
    shipped = embedded.WARM_AFTER_WRITE_S
    with tempfile.TemporaryDirectory() as name, opened(Path(name), args) as (s, store):
        catalogue = Catalogue.load(base_iri=s.base_iri)
        for _ in range(3):
            timed(catalogue, store)
        arms: dict[str, list[float]] = {"started after the write": [], "forked by the query": []}
        warm: list[float] = []
        for n in range(args.rounds):
            for arm, delay in (("started after the write", shipped), ("forked by the query", 1e6)):
                embedded.WARM_AFTER_WRITE_S = delay  # read by each write's timer
                write(store, n)
                time.sleep(args.pause)
                arms[arm].append(timed(catalogue, store))
                warm.append(timed(catalogue, store))
        embedded.WARM_AFTER_WRITE_S = shipped
    print("per round, ms:", {arm: [round(x) for x in v] for arm, v in arms.items()})
    started, forked = (statistics.median(v) for v in arms.values())
    data = str(args.store) if args.store else f"~{args.synth:,} triples"
    print(f"\n{data}; {args.rounds} rounds; query {QUERY[0]}; pause {args.pause} s")
    print(f"first query after a write, workers started once writes pause: {started:.1f} ms")
    print(f"first query after a write, workers forked by the query (before): {forked:.1f} ms")
    print(f"the same query warm: {statistics.median(warm):.1f} ms")
    print(f"ratio (after / before): **{started / forked:.2f}×**")


if __name__ == "__main__":
    main()
