"""What holding the coordinator spans between writes costs and saves (issue #16, item 3).

    python bench/holding_spans.py --synth 1000000 -n 11
    python bench/holding_spans.py --store DIR -n 11     # an existing store (only read)

GET /coordinators with an area and a period chooses holdings from their spans of days, held
per data generation (api/services/holding_spans.py). In process, medians of N runs alternated:
- the first such request for an area after a write reads its spans (`read_spans(area,
  None)`), as every such request did before; later ones read none;
- the whole service with the spans held (`coordinators(area, year)`), against the named query
  `coordinators_in_year` (the ratio item 3 sets a goal for, here without HTTP).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api import opened_store, synth_store
from ccmkg.api.rest.params import Period, parse_area
from ccmkg.api.rest.runner import Queries
from ccmkg.api.services.coordinators import coordinators
from ccmkg.api.services.holding_spans import read_spans

AREA = "universalization"


def medians(runs: dict[str, Callable[[], object]], n: int) -> dict[str, float]:
    """Median ms of each callable, the callables alternated run by run."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(n):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(spent) for name, spent in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", type=int, default=1_000_000, help="a synthetic graph of ~N triples")
    ap.add_argument("--store", type=Path, help="an existing store directory instead")
    ap.add_argument("--year", default="2014")
    ap.add_argument("-n", type=int, default=11)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ccmkg-spans-") as tmp:
        opened = opened_store(args.store) if args.store else synth_store(Path(tmp), args.synth)
        with opened as (settings, store):
            queries = Queries(store, settings)
            area = parse_area(AREA)
            year = int(args.year)
            period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
            every, _ = read_spans(queries, AREA, None)
            runs = {
                "the area's spans (first period request after a write; each one before)": (
                    lambda: read_spans(queries, AREA, None)
                ),
                "GET /coordinators?area&year, spans held (in process)": lambda: coordinators(
                    queries, area=area, period=period
                ),
                "coordinators_in_year": lambda: queries.run(
                    "coordinators_in_year", {"area": AREA, "year": args.year}
                ),
            }
            found = medians(runs, args.n)
    print(f"{len(every)} holdings of {AREA} with a span; medians of {args.n}, alternated\n")
    print("| what | ms |\n| --- | ---: |")
    for name, ms in found.items():
        print(f"| {name} | {ms:.1f} |")
    held, named = (found[name] for name in list(found)[1:])
    print(f"\nservice with the spans held / named query: {held / named:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
