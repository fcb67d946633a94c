"""Schemathesis against /openapi.json: every operation, positive and negative cases, until at
least --cases requests (default 10,000) were sent; no answer may be a 5xx.

The server runs in its own process on 127.0.0.1 over a copy of the bundled corpus, with an
ingest token so that the write paths are fuzzed past the token check. Prints the status
counts, the cases per operation, and one reproducing curl command per distinct 5xx.

    python bench/fuzz_api.py                 # ≥ 10,000 cases
    python bench/fuzz_api.py --cases 500     # a quick look
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.api_fuzz import FuzzResult, run_contract, run_fuzz  # noqa: E402
from devtools.rel_support import TOKEN, load_corpus, start_app_process  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--per-round", type=int, default=150, help="examples per operation and mode")
    ap.add_argument(
        "--contract-examples", type=int, default=20,
        help="examples per operation of the all-checks run (0: skip it)",
    )  # fmt: skip
    args = ap.parse_args()
    total = FuzzResult()
    start = time.monotonic()
    rounds = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        load_corpus(store)
        env = {"CCMKG_STORE": str(store), "CCMKG_INGEST_TOKEN": TOKEN,
               "CCMKG_QUERY_TIMEOUT_S": "5"}  # fmt: skip
        app = start_app_process(env, Path(tmp) / "server.log", log_level="warning")
        contract = None
        try:
            if args.contract_examples:
                contract = run_contract(app.base, args.contract_examples, TOKEN)
            while total.cases < args.cases:
                rounds += 1
                r = run_fuzz(app.base, args.per_round, TOKEN)
                total.cases += r.cases
                total.by_status.update(r.by_status)
                total.by_operation.update(r.by_operation)
                total.failures += r.failures
                total.skipped = r.skipped
                if app.proc.poll() is not None:
                    print("THE SERVER DIED:\n" + app.log()[-3000:])
                    break
        finally:
            app.stop()
    elapsed = time.monotonic() - start
    five = sum(n for s, n in total.by_status.items() if s >= 500)
    print(
        f"- cases sent: **{total.cases}** in {rounds} round(s), {elapsed:.0f} s "
        f"({total.cases / elapsed:.0f} cases/s); operations: {len(total.by_operation)}"
    )
    print(
        f"- 5xx answers: **{five}** ({len(total.distinct_failures())} distinct "
        "operation/status/code)"
    )
    print("- status counts: " + ", ".join(f"{s}: {n}" for s, n in sorted(total.by_status.items())))
    print("\n| operation | cases |\n| --- | ---: |")
    for op, n in sorted(total.by_operation.items()):
        print(f"| {op} | {n} |")
    if total.failures:
        per_op = Counter((f.operation, f.status, f.code) for f in total.failures)
        print(
            "\n| operation | status | code | count | one reproducer |\n"
            "| --- | ---: | --- | ---: | --- |"
        )
        for (op, status, code), f in total.distinct_failures().items():
            curl = f.curl.replace("|", "\\|")[:200]
            print(f"| {op} | {status} | {code} | {per_op[(op, status, code)]} | `{curl}` |")
    if contract is not None:
        verdict = "holds" if contract.ok else "DOES NOT HOLD"
        print(
            f"\nContract (`schemathesis run --checks all`, {args.contract_examples} examples per "
            f"operation, all phases, tests/reliability/schemathesis.toml): **{verdict}**\n"
        )
        print("```\n" + contract.summary + "\n```")
    sys.exit(1 if five or (contract is not None and not contract.ok) else 0)


if __name__ == "__main__":
    main()
