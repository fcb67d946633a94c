"""Every REST list's answers for a set of parameters, written to JSON or compared with a file.

Why: moving a filter from Python into SPARQL must not change an answer. Capture the answers
before the change (`--write`), then compare after it (`--compare`): every page walked, the
items, `count` and `truncated`. The data: the bundled corpus with the reference data, or a
store directory (e.g. one bench/api.py built from bench/synth.py).

    python -m devtools.rest_snapshot --corpus /tmp/corpus-store --write /tmp/before-corpus.json
    python -m devtools.rest_snapshot --store /tmp/synth --compare /tmp/before-synth.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.server import serve_app

BASE = "https://ccm-kg.org/"
PAGE = 1000
AREAS = ("universalization", "victim-assistance", "clearance-and-risk-reduction")
YEARS = tuple(str(y) for y in range(2010, 2027))
DAYS = ("2011-09-13", "2014-06-30", "2016-05-26", "2018-01-25", "2020-11-25", "2023-09-11")
STATES = ("GBR", "NLD", "ZMB", "LAO", "CHE", "AUT")
KINDS = ("coordination-committee", "msp", "review-conference", "friends-of-the-president")
WINDOWS = (("2011-01-01", "2012-12-31"), ("2016-01-01", "2016-12-31"), ("2019-06-01", None))


def requests() -> list[tuple[str, dict[str, str]]]:
    """The (path, parameters) asked: every list, each filter alone and in combination."""
    out: list[tuple[str, dict[str, str]]] = []
    out += [("/coordinators", {}), ("/coordinators", {"role": "any"})]
    out += [("/coordinators", {"role": "friend"})]
    for area in AREAS:
        out.append(("/coordinators", {"area": area}))
        out += [("/coordinators", {"area": area, "year": y}) for y in YEARS]
        out += [("/coordinators", {"area": area, "on": d}) for d in DAYS]
    out += [("/coordinators", {"year": y, "role": "any"}) for y in YEARS]
    out += [("/coordinators", {"state": s}) for s in STATES]
    out += [("/coordinators", {"state": s, "year": "2016"}) for s in STATES]
    out += [("/coordinators", {"from": a, **({"to": b} if b else {})}) for a, b in WINDOWS]
    out.append(("/presidencies", {}))
    out += [("/presidencies", {"year": y}) for y in YEARS]
    out += [("/presidencies", {"on": d}) for d in DAYS]
    out += [("/presidencies", {"state": s}) for s in STATES]
    out.append(("/meetings", {}))
    out += [("/meetings", {"kind": k}) for k in KINDS]
    out += [("/meetings", {"from": a, **({"to": b} if b else {})}) for a, b in WINDOWS]
    out += [("/meetings", {"state": s}) for s in STATES]
    out += [("/meetings", {"state": s, "kind": "coordination-committee"}) for s in STATES[:2]]
    out.append(("/obligations", {}))
    out += [("/obligations", {"article": a}) for a in ("3", "4", "7")]
    out += [("/obligations", {"state": s}) for s in STATES]
    out += [("/obligations", {"from": a, **({"to": b} if b else {})}) for a, b in WINDOWS]
    out += [("/obligations", {"article": "4", "from": "2016-01-01"})]
    asof = {"as_of": "2025-01-01"}
    out.append(("/deadlines", asof))
    out += [("/deadlines", {**asof, "article": a}) for a in ("3", "4", "7")]
    out += [("/deadlines", {**asof, "status": s}) for s in ("met", "extended", "overdue")]
    out += [("/deadlines", {**asof, "state": s}) for s in STATES]
    out += [("/deadlines", {**asof, "from": "2019-01-01", "to": "2022-12-31"})]
    out += [("/states", {}), ("/states", {"status": "signatory"})]
    out.append(("/states", {"status": "state-party"}))
    out += [("/actors", {})] + [("/actors", {"q": q}) for q in ("zam", "united", "cmc", "la")]
    out += [("/persons", {})] + [("/persons", {"q": q}) for q in ("ma", "masmejan", "an")]
    # Pages of a few persons: GET /persons reads its page's persons only (a `limit` given here
    # is the size of the pages walked).
    out += [("/persons", {"limit": "7"}), ("/persons", {"q": "an", "limit": "3"})]
    out += [("/persons", {"q": "delega", "limit": "40"}), ("/persons", {"min_documents": "2"})]
    out += [("/conflicts", {}), ("/review", {}), ("/review", {"reason": "unresolved-name"})]
    out.append(("/working-groups", {}))
    out += [("/working-groups", {"area": a}) for a in AREAS]
    out += [("/working-groups", {"actor": s}) for s in STATES]
    return out


def label(path: str, params: dict[str, str]) -> str:
    return path + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))


def answer(client: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    """Every page of one list (of `limit` items when given, else PAGE): its items in order, its
    count, and truncation per page."""
    items: list[Any] = []
    offset = 0
    size = int(params.get("limit", PAGE))
    while True:
        response = client.get(path, params={**params, "limit": size, "offset": offset})
        if response.status_code != 200:
            return {"status": response.status_code, "body": response.json()}
        body = response.json()
        items += body["items"]
        offset += size
        if offset >= body["count"]:
            return {
                "count": body["count"],
                "truncated": body["truncated"],
                "header": response.headers.get("X-Result-Truncated"),
                "items": items,
            }


def snapshot(base_url: str) -> dict[str, Any]:
    with httpx.Client(base_url=base_url, timeout=300) as client:
        return {label(p, q): answer(client, p, q) for p, q in requests()}


@contextmanager
def corpus_and_reference(directory: Path) -> Iterator[tuple[Settings, Store]]:
    """The corpus and reference data, loaded into `directory` unless it exists already."""
    from ccmkg.loaders.pipeline import load_paths
    from ccmkg.loaders.reference.load import load_reference
    from ccmkg.resources import corpus_files

    fresh = not directory.exists()
    settings = Settings(store=str(directory), base_iri=BASE)
    store = open_store(settings)
    try:
        if fresh:
            load_paths(store, settings, corpus_files())
            load_reference(store, settings)
        yield settings, store
    finally:
        store.close()


@contextmanager
def directory_store(path: str) -> Iterator[tuple[Settings, Store]]:
    settings = Settings(store=path, base_iri=BASE)
    store = open_store(settings)
    try:
        yield settings, store
    finally:
        store.close()


def canonical(value: Any) -> Any:
    """Every list (sources, claims, spellings) in a fixed order: the store returns rows in no
    fixed order, so two runs list an item's passages or spellings differently. (A value read
    off the first row, e.g. a meeting's date when two sources disagree, can differ too.)"""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def comparable(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The answer with its items canonical, in a fixed order: items tied in a list's sort key
    come in any order (pyoxigraph's hash tables are seeded per process)."""
    if answer is None or "items" not in answer:
        return answer
    return {**answer, "items": canonical(answer["items"])}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The labels whose answers differ (as sets of items; see `comparable`), and in what."""
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = comparable(before.get(key)), comparable(after.get(key))
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{key}: only in {'after' if a is None else 'before'}")
            continue
        fields = [f for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)]
        out.append(f"{key}: {', '.join(fields)} differ")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--corpus", type=Path, help="the corpus and reference data, loaded here if not yet"
    )
    where.add_argument("--store", help="a store directory (opened as it is)")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path, help="write the answers to this JSON file")
    what.add_argument("--compare", type=Path, help="compare the answers with this JSON file")
    args = parser.parse_args(argv)
    source = corpus_and_reference(args.corpus) if args.corpus else directory_store(args.store)
    with source as (settings, store), serve_app(settings, store) as url:
        answers = snapshot(url)
    if args.write:
        args.write.write_text(json.dumps(answers, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(answers)} answers written to {args.write}")
        return 0
    diff = differences(json.loads(args.compare.read_text(encoding="utf-8")), answers)
    print("\n".join(diff) or f"all {len(answers)} answers identical")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
