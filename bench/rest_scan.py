"""Every REST route's latency at scale, one line each: finds the routes that are slow at 1M.

`bench/api.py` measures the lists against the named queries issue #16 pairs them with; this
scan asks every route with the parameters a researcher would use (a State, a meeting, a person,
a year, no filter at all), picked from the data, and prints the median time of each. Run it on
two checkouts (or before and after a change) on the same store to compare:

    python bench/rest_scan.py --synth 1000000 --runs 5
    python bench/rest_scan.py --store /tmp/synth-1m --runs 5   # a store built before
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api import Sample, opened_store, pick, synth_store  # noqa: E402
from ccmkg.settings import Settings  # noqa: E402
from ccmkg.store import Store  # noqa: E402
from devtools.server import serve_app  # noqa: E402


def routes(client: httpx.Client, sample: Sample) -> list[str]:
    """The routes asked, with the State, year and meeting `pick` read off the data (the
    busiest), and the first person of the list."""
    state, year, meeting = sample.state, sample.year, sample.meeting.rsplit("/", 1)[-1]
    person = client.get("/persons", params={"limit": 1}).json()["items"][0]["id"]
    key = person.rsplit("/", 1)[-1]
    return [
        "/coordinators",
        "/coordinators?sources=none",
        f"/coordinators?year={year}",
        f"/coordinators?state={state}",
        "/coordinators?area=universalization",
        f"/coordinators?area=universalization&year={year}",
        "/presidencies",
        f"/presidencies?year={year}",
        "/meetings",
        "/meetings?kind=coordination-committee",
        f"/meetings?state={state}",
        f"/meetings?person={key}",
        f"/meetings/{meeting}",
        "/persons",
        f"/persons?q={key[:4]}",
        f"/persons/{key}",
        "/actors",
        f"/actors/{state}/timeline",
        f"/states/{state}",
        "/obligations",
        f"/obligations?state={state}",
        "/obligations?article=4",
        "/conflicts",
        "/deadlines",
        "/working-groups",
        "/.well-known/void",
    ]


def scan(settings: Settings, store: Store, runs: int) -> None:
    sample = pick(store)
    with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=300) as client:
        print(f"{store.triple_count()} triples; {runs} runs each (after one warm-up)\n")
        print("| route | status | bytes | p50 ms |")
        print("| --- | ---: | ---: | ---: |")
        for path in routes(client, sample):
            client.get(path)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            size = len(response.content)
            print(f"| {path} | {response.status_code} | {size} | {statistics.median(times):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--synth", type=int, help="a synthetic graph of ~N triples (bench/synth.py)")
    where.add_argument("--store", type=Path, help="a copy of this store directory")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            directory = Path(tmp) / "store"
            shutil.copytree(args.store, directory)
            opened = opened_store(directory)
        else:
            opened = synth_store(Path(tmp), args.synth)
        with opened as (settings, store):
            scan(settings, store, args.runs)


if __name__ == "__main__":
    main()
