"""What running the rules again costs after an upload (`ccmkg.ingest.rederive`), stop 26.

    python bench/rederive.py                     # the corpus with its reference data
    python bench/rederive.py --store DIR -n 7    # a copy of an existing store (it is written)

Every accepted or removed upload runs the rules again (ccmkg/rules.py). A derived graph that
comes out as stored is not written again; the baseline, measured in the same run and
alternated with it, writes every derived graph as before stop 26 (`_unchanged` answering no).
The facts do not change between runs, so the first figure is what an upload that touches no
rule's input costs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sparql_throughput import corpus_store
from ccmkg import rules
from ccmkg.ingest import rederive
from ccmkg.settings import Settings
from ccmkg.store.embedded import EmbeddedStore
from ccmkg.validation import package_validator


def timed(settings: Settings, store: EmbeddedStore, rewrite_all: bool) -> tuple[float, int]:
    """Seconds of one re-derivation, and how many derived graphs it wrote."""
    unchanged = rules._unchanged
    if rewrite_all:
        rules._unchanged = lambda *_: False  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        answer = rederive(settings, store, package_validator())
        spent = time.perf_counter() - started
    finally:
        rules._unchanged = unchanged  # type: ignore[assignment]
    if answer is None or "error" in answer:
        raise SystemExit(f"the rules did not run: {answer}")
    return spent, int(answer["rewritten"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="an embedded store with reference data (copied)")
    ap.add_argument("-n", type=int, default=5, help="runs of each kind, alternated")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-rederive-"))
    try:
        copied = shutil.copytree(args.store, work / "store") if args.store else None
        location = copied or corpus_store(work)
        settings = Settings(store=str(location), query_workers=1)
        store = EmbeddedStore(settings)
        try:
            timed(settings, store, rewrite_all=False)  # warm: the queries parsed, caches full
            runs: dict[bool, list[tuple[float, int]]] = {False: [], True: []}
            for _ in range(args.n):
                for rewrite_all in (False, True):
                    runs[rewrite_all].append(timed(settings, store, rewrite_all))
            triples = store.triple_count()
        finally:
            store.close()
        kept = statistics.median(s for s, _ in runs[False])
        written = statistics.median(s for s, _ in runs[True])
        print(f"{triples:,} triples; medians of {args.n} runs each, alternated")
        print(f"rules again, unchanged graphs left alone: {kept:.2f} s "
              f"({runs[False][-1][1]} derived graph(s) written)")  # fmt: skip
        print(f"baseline, every derived graph written: {written:.2f} s "
              f"({runs[True][-1][1]} written)")  # fmt: skip
        print(f"ratio: **{kept / written:.2f}x** the baseline's time")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
