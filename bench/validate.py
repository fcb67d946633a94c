"""SHACL engines on synthetic CCM-shaped data: triples/second and the ratio to pyshacl.

    python bench/validate.py                   # 100k and 1M triples, every engine, 3 runs
    python bench/validate.py --quick           # pyshacl, hybrid only at the smallest size; 1 run
    python bench/validate.py --sizes 100000 --runs 5 --engines shacl,pyshacl,pyrudof
    python bench/validate.py --sizes 1000000 --engines sparql,shacl   # 1M: × the previous engine
    python bench/validate.py --sizes 1000000 --profile   # the 10 costliest queries of `sparql`

Each engine validates the same data against the packaged shapes + ontology (inference none),
with a handful of seeded defects, so each run also checks that every engine's verdicts (the
multiset of focus, path, value, severity, shape, component) equal pyshacl's. Time is the
median of the runs, for validation alone: the data is handed over already in the form the
engine takes (an rdflib Graph for pyshacl, N-Triples text for `shacl` and pyrudof, and for
`sparql` a pyoxigraph store already holding data + ontology, as the served store does: its
queries run on the store's indexes). `sparql+load` times the same engine with the loading of
the text into a fresh store included. The ratio column is against pyshacl when it ran at that
size, else against the previous engine (`shacl`). Runs go round robin over the engines, so a
load that drifts during the run meets each engine alike. `cpu s` is the process CPU time of
the same span, every thread counted: the work done, steadier than the wall clock on a shared
machine (an engine on two cores can show more CPU than wall seconds). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccmkg.rdf_input import ntriples_to_rdflib
from ccmkg.validation import DataGraph, Result, Validator

CCM = "https://ccm-kg.org/ontology#"
BASE = "https://ccm-kg.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DATE = "<http://purl.org/dc/terms/date>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = "http://www.w3.org/ns/oa#"


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def synth(triples: int) -> tuple[str, int]:
    """N-Triples of States, meetings, passages and agenda items; (text, seeded defects).

    One defect per 20,000 triples, spread across shapes (a bad date, a missing date, an
    agenda item pointing at a non-meeting, a bad ISO code, a meeting ending before it starts).
    """
    lines: list[str] = []
    add = lines.append
    states = 200
    for i in range(states):
        s = f"<{BASE}id/state/S{i:03d}>"
        add(f"{s} {RDF_TYPE} <{CCM}State> .")
        add(f'{s} {LABEL} "State {i}"@en .')
        code = "".join(chr(65 + (i // 26**k) % 26) for k in (2, 1, 0))
        add(f'{s} <{CCM}iso3> "{code}" .')
    family = f"<{BASE}id/family/cc_minutes>"
    add(f"{family} {RDF_TYPE} <{CCM}DocumentFamily> .")
    add(f'{family} {LABEL} "Coordination Committee minutes"@en .')
    defects, m = 0, 0
    every = 20_000
    while len(lines) < triples:
        meeting = f"<{BASE}id/meeting/cc-{m}>"
        passage = f"<{BASE}id/passage/p{m}>"
        doc = f"<{BASE}id/document/d{m // 50}>"
        if m % 50 == 0:
            add(f"{doc} {RDF_TYPE} <{CCM}Document> .")
            add(f'{doc} <{CCM}sha256> "{m:064x}" .')
            add(f'{doc} <{CCM}fileName> "minutes-{m // 50}.txt" .')
            add(f"{doc} <{CCM}documentFamily> {family} .")
            add(f'{doc} {DATE} "2016-01-0{1 + m % 9}"^^<{XSD}date> .')
        add(f"{meeting} {RDF_TYPE} <{CCM}CoordinationCommitteeMeeting> .")
        add(f'{meeting} {LABEL} "Coordination Committee meeting {m}"@en .')
        add(f"{meeting} {DERIVED} {passage} .")
        add(f"{passage} {RDF_TYPE} <{CCM}Passage> .")
        add(f"{passage} <{OA}hasSource> {doc} .")
        for kind_, extra in (
            ("TextQuoteSelector", [f'<{OA}exact> "Minutes, item {m}"']),
            (
                "TextPositionSelector",
                [f"<{OA}start> {_int(m * 10)}", f"<{OA}end> {_int(m * 10 + 9)}"],
            ),
        ):
            sel = f"<{BASE}id/passage/p{m}#{kind_}>"
            add(f"{passage} <{OA}hasSelector> {sel} .")
            add(f"{sel} {RDF_TYPE} <{OA}{kind_}> .")
            for po in extra:
                add(f"{sel} {po} .")
        seeded = len(lines) // every > defects
        kind = defects % 5
        if seeded and kind == 0:
            add(f'{meeting} {DATE} "2016-13-45"^^<{XSD}date> .')
        elif not (seeded and kind == 1):
            add(f'{meeting} {DATE} "20{10 + m % 12}-0{1 + m % 9}-1{m % 10}"^^<{XSD}date> .')
        for j in range(3):
            item = f"<{BASE}id/item/cc-{m}-{j}>"
            target = f"<{BASE}id/state/S001>" if seeded and kind == 2 and j == 0 else meeting
            add(f"{item} {RDF_TYPE} <{CCM}AgendaItem> .")
            add(f"{item} <{CCM}atMeeting> {target} .")
            add(f'{item} <{CCM}text> "Item {j} of meeting {m}" .')
            add(f'{item} <{CCM}itemNumber> "{j + 1}" .')
            add(f"{item} {DERIVED} {passage} .")
        if seeded and kind == 4:  # ends before it starts: the SPARQL-based check
            add(f'{meeting} <{CCM}endDate> "2009-01-01"^^<{XSD}date> .')
        if seeded and kind == 3:
            add(f'<{BASE}id/state/S{m % states:03d}> <{CCM}iso3> "x{m}" .')
        defects += seeded
        m += 1
    return "\n".join(lines) + "\n", defects


def _verdicts(results: list[Result]) -> Counter[tuple[str | None, ...]]:
    return Counter(r.verdict_key() for r in results)


def run_engine(
    name: str, validator: Validator | None, text: str, graph: Callable[[], object]
) -> tuple[float, float, Counter[tuple[str | None, ...]] | None, int]:
    """Seconds for one validation, its process CPU seconds (all threads: the work done, a
    steadier figure than the wall clock on a shared machine), the verdicts (None for pyrudof)
    and the result count."""
    if name == "pyrudof":
        import pyrudof

        shapes = "".join(Path(p).read_text() for p in _shape_paths())
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_shacl(shapes)
        onto = _onto_text()
        start, cpu = time.perf_counter(), time.process_time()
        rudof.read_data(text + onto, format=pyrudof.RDFFormat.NTriples)
        report = rudof.validate_shacl()
        elapsed = time.perf_counter() - start
        return elapsed, time.process_time() - cpu, None, len(report.violations)
    assert validator is not None
    if name in ("sparql", "sparql+load"):
        import pyoxigraph as ox

        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        store = ox.Store()
        store.bulk_load((text + _onto_text()).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        if name == "sparql":  # the store is already indexed: only the checks are timed
            start, cpu = time.perf_counter(), time.process_time()
        report = validator.validate_store(store)
        elapsed = time.perf_counter() - start
        return elapsed, time.process_time() - cpu, _verdicts(report.results), len(report.results)
    data = DataGraph(_graph=graph() if name != "shacl" else None, _ntriples=text)  # type: ignore[arg-type]
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    report = validator.validate(data)
    elapsed = time.perf_counter() - start
    return elapsed, time.process_time() - cpu, _verdicts(report.results), len(report.results)


def profile(text: str, validator: Validator, top: int = 10) -> None:
    """The `sparql` engine's queries one at a time on one thread, costliest first.

    Rounds as in `run_checks`: the patterns of `needs`, the proof counts, the checks that
    nothing ruled out; each query's seconds (and process CPU seconds: a steadier figure on a
    shared machine).
    """
    import pyoxigraph as ox

    from ccmkg.shacl_sparql import StoreSource, _count, _proved, proof_queries

    store = ox.Store()
    store.bulk_load((text + _onto_text()).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    source = StoreSource(store)
    checks = validator._compiled.checks  # type: ignore[attr-defined]
    timed: list[tuple[float, float, str, str]] = []

    def timed_run(kind: str, label: str, run: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        answer = run()
        timed.append((time.perf_counter() - wall, time.process_time() - cpu, kind, label))
        return answer

    known = {
        p: timed_run("exists", p[:60], lambda p=p: source.exists(p))
        for p in sorted({p for c in checks for p in c.needs})
    }
    live = [c for c in checks if all(known[p] for p in c.needs)]
    counts = {
        q: timed_run("proof", _short(q), lambda q=q: _count(source, q)) for q in proof_queries(live)
    }
    todo = [c for c in live if not _proved(c, counts)]  # type: ignore[arg-type]
    shared: dict[str, list[object]] = {}
    for c in todo:
        shared.setdefault(c.query, []).append(c)
    for query, group in shared.items():
        c = group[0]
        components = "+".join(g.component.removesuffix("ConstraintComponent") for g in group)  # type: ignore[attr-defined]
        label = f"{components} {c.shape} {c.path or ''}"  # type: ignore[attr-defined]
        timed_run("check", label, lambda q=query: list(source.select(q)[1]))
    for kind in ("exists", "proof", "check"):
        rows = [t for t in timed if t[2] == kind]
        print(f"{kind}: {len(rows)} queries, {sum(t[0] for t in rows):.2f} s, "
              f"cpu {sum(t[1] for t in rows):.2f} s")  # fmt: skip
    print(f"of {len(checks)} checks: {len(checks) - len(live)} without focus or values, "
          f"{len(live) - len(todo)} proved empty by counts, {len(todo)} run "
          f"in {len(shared)} queries\n")  # fmt: skip
    print("| s | cpu s | round | query |\n| ---: | ---: | --- | --- |")
    for wall, cpu, kind, label in sorted(timed, reverse=True)[:top]:
        print(f"| {wall:.3f} | {cpu:.3f} | {kind} | {label} |")
    print()


def _short(query: str) -> str:
    """A count query made readable: IRIs by their local names, the class path as `a`."""
    text = query.replace(f"{RDF_TYPE}/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*", "a")
    return re.sub(r"<[^<>]*?([^<>/#]+)>", r"\1", text).removeprefix("SELECT ")


def _shape_paths() -> list[Path]:
    from ccmkg.resources import shape_files

    return shape_files()


def _onto_text() -> str:
    from ccmkg.rdf_input import parse_file
    from ccmkg.resources import ontology_file

    return parse_file(ontology_file()).ntriples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated triple counts")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--engines",
        default="sparql,sparql+load,shacl,hybrid,pyshacl",
        help="sparql,sparql+load,shacl,hybrid,pyshacl[,pyrudof]",
    )
    ap.add_argument(
        "--quick", action="store_true", help="pyshacl and hybrid only at the smallest size; 1 run"
    )
    ap.add_argument(
        "--profile", action="store_true", help="print the 10 costliest queries of `sparql` only"
    )
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.profile:
        for size in sizes:
            print(f"## {size:,} triples\n")
            profile(synth(size)[0], Validator.from_package("sparql"))
        return 0
    engines = args.engines.split(",")
    runs = 1 if args.quick else args.runs
    validators = {
        e: Validator.from_package(e.removesuffix("+load")) for e in engines if e != "pyrudof"
    }
    print(f"shapes: {len(_shape_paths())} files; runs: {runs} (median)\n")
    head = (
        "| triples | engine | median s | cpu s | triples/s | speed-up | results | same verdicts |"
    )
    print(head)
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    ok = True
    for size in sizes:
        text, defects = synth(size)
        n = text.count("\n")
        cached: dict[str, object] = {}

        def graph(text: str = text, cached: dict[str, object] = cached) -> object:
            if "g" not in cached:
                cached["g"] = ntriples_to_rdflib(text)
            return cached["g"]

        times: dict[str, float] = {}
        cpus: dict[str, float] = {}
        verdicts: dict[str, Counter[tuple[str | None, ...]] | None] = {}
        counts: dict[str, int] = {}
        todo = [
            e for e in engines
            if not (e in ("pyshacl", "hybrid") and args.quick and size != min(sizes))
        ]  # fmt: skip
        samples: dict[str, list[tuple[float, float]]] = {e: [] for e in todo}
        for _ in range(runs):  # round robin: a load that drifts meets every engine alike
            for engine in todo:
                seconds, cpu, verdicts[engine], counts[engine] = run_engine(
                    engine, validators.get(engine), text, graph
                )
                samples[engine].append((seconds, cpu))
        for engine in todo:
            times[engine] = statistics.median(t for t, _ in samples[engine])
            cpus[engine] = statistics.median(c for _, c in samples[engine])
        ref = "pyshacl" if "pyshacl" in times else "shacl"
        base = times.get(ref)
        for engine, seconds in times.items():
            ratio = f"{base / seconds:.2f}× {ref}" if base else "—"
            if engine == ref or verdicts.get(ref) is None:
                same = "reference" if engine == ref else "not compared"
            elif verdicts[engine] is None:
                same = "not compared (counts only)"
            else:
                same = "yes" if verdicts[engine] == verdicts[ref] else "NO"
                ok &= same == "yes"
            print(
                f"| {n:,} | {engine} | {seconds:.2f} | {cpus[engine]:.2f} | {n / seconds:,.0f} "
                f"| {ratio} | {counts[engine]} | {same} |"
            )
        print(f"| {n:,} | (seeded defects) | | | | | {defects} | |")
        del text, cached
        gc.collect()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
