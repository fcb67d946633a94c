"""Where /sparql loses to `oxigraph serve`: each named query's latency on both, one client.

    python bench/sparql_per_query.py            # 25 requests per query and server
    python bench/sparql_per_query.py -n 50 --top 40

The same data and query texts as bench/sparql_throughput.py (the corpus as `ccmkg serve`
loads it, every named query with its example values, the federated one left out), sent one at
a time (POST application/sparql-query, SPARQL JSON) to `ccmkg serve` with the answer cache off
and to `oxigraph serve`, alternating query by query. It prints the sums, the queries with the
largest gap (ours minus oxigraph's median, with the answer's size) and `ASK {}` on both: if
the gaps are all near the `ASK {}` gap, what is left is a fixed cost per request, not the
answers (issue #16 item 4).
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.query import ccmkg_server, oxigraph_server
from bench.sparql_throughput import prepared

HEADERS = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


def latency(client: httpx.Client, url: str, text: str, n: int) -> tuple[float, int]:
    """Median milliseconds of `n` requests, and the size of the answer in bytes."""
    times = []
    size = 0
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.post(url, content=text.encode(), headers=HEADERS)
        times.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
        size = len(response.content)
    return statistics.median(times), size


def title(text: str) -> str:
    line = next((x for x in text.splitlines() if x.startswith("# title:")), text[:60])
    return line.removeprefix("# title:").strip().strip('"')[:72]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=25, help="requests per query and server")
    ap.add_argument("--top", type=int, default=20, help="how many of the largest gaps to print")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-perq-"))
    try:
        location, texts, nquads = prepared(work)
        with (
            ccmkg_server(location, {"CCMKG_SPARQL_CACHE_MB": "0"}) as (_, base),
            oxigraph_server(nquads, work) as ox_url,
            httpx.Client(timeout=60) as client,
        ):
            ours_url = f"{base}/sparql"
            rows = []
            for text in texts:
                ours, size = latency(client, ours_url, text, args.n)
                theirs, _ = latency(client, ox_url, text, args.n)
                rows.append((ours - theirs, ours, theirs, size, title(text)))
            ask_ours, _ = latency(client, ours_url, "ASK {}", args.n * 4)
            ask_theirs, _ = latency(client, ox_url, "ASK {}", args.n * 4)
        rows.sort(reverse=True)
        ours_sum, theirs_sum = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"{len(rows)} named queries, {args.n} requests each, one client (medians, ms)")
        print(f"sum of medians: ours {ours_sum:.1f}, oxigraph serve {theirs_sum:.1f} "
              f"({theirs_sum / ours_sum:.0%} of ours' time)")  # fmt: skip
        fixed = ask_ours - ask_theirs
        print(f"ASK {{}}: ours {ask_ours:.2f}, oxigraph serve {ask_theirs:.2f} (gap {fixed:.2f}; "
              f"x {len(rows)} queries = {fixed * len(rows):.1f} of the "
              f"{ours_sum - theirs_sum:.1f} gap)")  # fmt: skip
        print("\n| gap | ours | oxigraph | answer bytes | query |")
        print("| ---: | ---: | ---: | ---: | --- |")
        for gap, ours, theirs, size, name in rows[: args.top]:
            print(f"| {gap:.2f} | {ours:.2f} | {theirs:.2f} | {size:,} | {name} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
