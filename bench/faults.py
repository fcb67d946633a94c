"""Faults: kill -9 the loader mid-load and the server mid-ingest, 20 times each at random
points, then reopen the store; and take a remote store away mid-request.

For every kill: the triple count of every graph after the restart against the count it must
have (a clean load of the same documents; the graphs present before; the triples of each
acknowledged upload), so that nothing half-written can pass. Prints one table per fault.

    python bench/faults.py              # 20 + 20 kills and the outage
    python bench/faults.py --kills 3    # a quick look
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.fault_runs import (  # noqa: E402
    OutageStep,
    clean_load,
    kill_loader,
    kill_server_mid_ingest,
    make_documents,
    remote_outage,
)
from devtools.rel_support import copy_store, load_corpus  # noqa: E402
from devtools.server import free_port  # noqa: E402

DOCUMENTS = 20


def loader_kills(tmp: Path, kills: int, rng: random.Random) -> tuple[str, bool]:
    docs = make_documents(tmp / "docs", DOCUMENTS)
    expected = clean_load(docs, tmp / "clean")
    # How long an uninterrupted CLI load takes, so the kills spread over all of it.
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", "load", str(docs), "--store", str(tmp / "timed")],
        cwd=ROOT, capture_output=True, check=True,
    )  # fmt: skip
    full = time.monotonic() - start
    rows = ["| # | kill after s | reported written | graphs found | incomplete | ok |",
            "| ---: | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    all_ok = True
    for k in range(kills):
        out = kill_loader(docs, tmp / f"killed{k}", expected, rng.uniform(0.05, 0.95) * full)
        all_ok &= out.ok
        rows.append(f"| {k + 1} | {out.delay_s:.2f} | {out.reported} | {len(out.found)} | "
                    f"{len(out.incomplete)} | {'yes' if out.ok else 'NO'} |")  # fmt: skip
    head = (f"`ccmkg load` of {DOCUMENTS} documents ({sum(1 for g in expected if '/doc/' in g)} "
            f"graphs, {sum(expected.values())} triples; an uninterrupted run takes {full:.1f} s), "
            f"killed with SIGKILL at a random point of that run, {kills} times; each store is "
            "reopened and every graph's triple count compared with the clean load.\n\n"
            )  # fmt: skip
    return head + "\n".join(rows), all_ok


def server_kills(tmp: Path, kills: int, rng: random.Random) -> tuple[str, bool]:
    template = tmp / "corpus"
    corpus = load_corpus(template)
    store_dir = copy_store(template, tmp / "served")
    rows = ["| # | kill after s | acknowledged | unacknowledged whole | lost | changed | "
            "half-written | graphs after | ok |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    all_ok = True
    for k in range(kills):
        out = kill_server_mid_ingest(store_dir, tmp / f"server{k}.log", rng.uniform(0.3, 3.0))
        all_ok &= out.ok
        rows.append(f"| {k + 1} | {out.delay_s:.2f} | {out.acknowledged} | {out.unacknowledged} "
                    f"| {len(out.lost)} | {len(out.changed)} | {len(out.half)} | "
                    f"{len(out.after)} | {'yes' if out.ok else 'NO'} |")  # fmt: skip
    head = ("The server (own process, embedded store) ingests 2,000-triple uploads in a loop "
            f"and is killed with SIGKILL at a random point, {kills} times on the same store "
            f"(starting from the corpus: {len(corpus)} graphs); after each kill the store is "
            "reopened: the corpus graphs unchanged, every acknowledged upload whole (data + "
            "provenance record), at most one unacknowledged (in flight), whole.\n\n")  # fmt: skip
    return head + "\n".join(rows), all_ok


def outage(tmp: Path) -> tuple[str, bool]:
    steps: list[OutageStep] = []
    remote_outage(tmp / "oxigraph", free_port(), steps.append)
    rows = ["| step | status | code | message |", "| --- | ---: | --- | --- |"]
    ok = True
    for s in steps:
        rows.append(f"| {s.what} | {s.status} | {s.code} | {s.message[:110]} |")
        expect_down = s.what.startswith(("store down", "killed"))
        ok &= (s.status == 503 and s.code == "store-unavailable") if expect_down else s.status < 300
    head = ("The app over `oxigraph serve` (remote store): requests while it is up, after it is "
            "killed, while a slow query is running on it when it is killed, and after it is "
            "started again on the same port and data.\n\n")  # fmt: skip
    return head + "\n".join(rows), ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    verdicts = []
    with tempfile.TemporaryDirectory() as tmp:
        for title, run in (
            ("kill -9 the loader mid-load", lambda: loader_kills(Path(tmp) / "l", args.kills, rng)),
            ("kill -9 the server mid-ingest",
             lambda: server_kills(Path(tmp) / "s", args.kills, rng)),
            ("the remote store goes away", lambda: outage(Path(tmp) / "o")),
        ):  # fmt: skip
            text, ok = run()
            verdicts.append((title, ok))
            print(f"### {title}\n\n{text}\n", flush=True)
    print("Verdict: " + "; ".join(f"{t}: {'pass' if ok else 'FAIL'}" for t, ok in verdicts))
    sys.exit(0 if all(ok for _, ok in verdicts) else 1)


if __name__ == "__main__":
    main()
