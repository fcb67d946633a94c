"""/sparql A/B: two `ccmkg serve` (two checkouts, or two settings) up at once, rounds alternating.

    python bench/sparql_ab.py --a /path/to/main/.venv/bin/python          # main against this
    python bench/sparql_ab.py --b-env CCMKG_SPARQL_WORKER_THREADS=4       # two settings
    python bench/sparql_ab.py --rounds 10 --seconds 5 --no-oxigraph

Why: on a shared machine one pair of `bench/sparql_throughput.py` runs says little (the rounds
of one side swing by ±30%, and a pair is minutes apart). Here both servers (and `oxigraph serve`)
are up together, on copies of the same store (the corpus, as `ccmkg serve` loads it), and each
round measures them one after the other in alternating order, so every round compares the two
under the same load. It prints, per round and as medians, the requests per second and the CPU
per request of each side, B's rate over A's and each side's over oxigraph serve's.

A side is a Python interpreter (`--a`, `--b`: the venv of a checkout; default this one) that
runs `-m ccmkg.cli serve` from its own installation, plus environment settings. Both get the
answer cache off and CCMKG_SPARQL_PER_CLIENT raised to --clients, as the throughput bench does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.query import ccmkg_server, oxigraph_server, throughput
from bench.sparql_throughput import corpus_store, cpu_seconds, queries, server_pid, union_dump


@contextlib.contextmanager
def serve_with(
    python: str, store_dir: Path, env_extra: dict[str, str]
) -> Iterator[tuple[int, str]]:
    """`python -m ccmkg.cli serve` on `store_dir` (run from /: the interpreter's own ccmkg)."""
    with ccmkg_server(store_dir, env_extra, python=python, isolated=True) as (proc, base):
        yield proc.pid, base


def _pairs(values: list[str]) -> dict[str, str]:
    return dict(v.split("=", 1) for v in values)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--a", default=sys.executable, help="Python of side A (a checkout's venv)")
    ap.add_argument("--b", default=sys.executable, help="Python of side B")
    ap.add_argument("--a-env", action="append", default=[], help="CCMKG_X=Y for side A")
    ap.add_argument("--b-env", action="append", default=[], help="CCMKG_X=Y for side B")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--no-oxigraph", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ccmkg-ab-"))
    try:
        location = corpus_store(work)
        texts = queries(location)
        common = {"CCMKG_SPARQL_PER_CLIENT": str(args.clients), "CCMKG_SPARQL_CACHE_MB": "0"}
        copies = {side: work / f"store-{side}" for side in ("A", "B")}
        for copy in copies.values():
            shutil.copytree(location, copy)  # one server process per store directory
        with contextlib.ExitStack() as stack:
            targets: dict[str, tuple[str, int]] = {}
            for side, python, env in (("A", args.a, args.a_env), ("B", args.b, args.b_env)):
                pid, base = stack.enter_context(
                    serve_with(python, copies[side], {**common, **_pairs(env)})
                )
                targets[side] = (f"{base}/sparql", pid)
            if not args.no_oxigraph:
                url = stack.enter_context(oxigraph_server(union_dump(location, work), work))
                targets["oxigraph"] = (url, server_pid(str(work / "oxigraph-")))
            for url, _ in targets.values():
                throughput(url, texts, 2, args.clients)  # warm-up: workers started, copies made
            rounds: dict[str, list[tuple[float, float]]] = {side: [] for side in targets}
            for r in range(args.rounds):
                order = list(targets) if r % 2 == 0 else list(reversed(targets))
                for side in order:
                    url, pid = targets[side]
                    before = cpu_seconds(pid)
                    rate = throughput(url, texts, args.seconds, args.clients)
                    spent = cpu_seconds(pid) - before
                    rounds[side].append((rate, 1000 * spent / max(rate * (args.seconds + 0.5), 1)))
                print(f"round {r + 1}: " + ", ".join(
                    f"{side} {rounds[side][-1][0]:.0f} req/s {rounds[side][-1][1]:.2f} ms"
                    for side in targets) + f"; load average {os.getloadavg()[0]:.1f}",
                    flush=True)  # fmt: skip
        print(f"{len(texts)} named queries, {args.clients} clients, {args.rounds} rounds of "
              f"{args.seconds:g} s; A = {args.a} {' '.join(args.a_env)}; "
              f"B = {args.b} {' '.join(args.b_env)}")  # fmt: skip
        for side, measured in rounds.items():
            rate = statistics.median(x for x, _ in measured)
            cpu = statistics.median(c for _, c in measured)
            print(f"{side}: median {rate:.1f} req/s, {cpu:.2f} ms CPU per request")
        ratio = [b / a for (a, _), (b, _) in zip(rounds["A"], rounds["B"], strict=True)]
        better = sum(x > 1 for x in ratio)
        print("B / A per round: " + ", ".join(f"{x:.2f}" for x in ratio)
              + f"; median **{statistics.median(ratio):.2f}×**, B ahead in {better} of "
              f"{len(ratio)}")  # fmt: skip
        if "oxigraph" in rounds:
            for side in ("A", "B"):
                each = [x / o for (x, _), (o, _) in zip(rounds[side], rounds["oxigraph"],
                                                         strict=True)]  # fmt: skip
                print(f"{side} / oxigraph serve, median of rounds: {statistics.median(each):.0%}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
