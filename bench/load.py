"""Loading speed: documents/second and triples/second through the whole pipeline.

    python bench/load.py                 # 1,000 documents, 3 runs
    python bench/load.py --docs 200 --runs 1
    python bench/load.py --docs 1000 --runs 3 --phases   # also time each step on its own

The documents are the bundled corpus files and the variants in tests/data/variants/, repeated
with their identities changed (a marker line appended, so every checksum and graph differs),
written to a temporary folder and loaded with `load_paths` into a fresh on-disk embedded store
(read, extract, emit, SHACL-validate, write; extraction, emission and SHACL over every core).
Also printed: the CPU seconds of the whole load (every process and thread: the loading process,
its build thread, the worker processes) and of the baseline, since wall time on a shared
machine mostly measures the neighbours.
The store holds no document yet and the load has at least `CCMKG_LOAD_SWAP_MIN` documents, so
it is written in one piece: bulk-loaded (by pieces, in the background, while the documents are
prepared) into a fresh store directory swapped in atomically.

The baseline, measured in the same run on the same machine: pyoxigraph `bulk_load` of the very
quads the pipeline wrote (dumped as N-Quads) into a fresh on-disk store — the fastest way to
put those triples on disk, with none of the reading. Prints medians as a markdown table with
the ratio of each figure to the baseline; with --phases each step is timed alone in one
process (one core), every run, and its median is compared with the same baseline.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox

from ccmkg.loaders.pipeline import load_paths
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import open_store
from ccmkg.store.embedded import EmbeddedStore

VARIANTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "variants"


def make_documents(folder: Path, count: int) -> list[Path]:
    """`count` distinct files cycled from the corpus and the variants (marker line appended)."""
    sources = list(corpus_files()) + sorted(VARIANTS.glob("*.txt"))
    paths = []
    for i in range(count):
        src = sources[i % len(sources)]
        path = folder / f"{i:05d}_{src.name}"
        path.write_bytes(src.read_bytes() + f"\n[bench copy {i}]\n".encode())
        paths.append(path)
    return paths


def cpu_seconds() -> float:
    """CPU time (user + system) of this process, every thread, and of its children reaped so
    far (the load's worker processes are reaped when their pool ends)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_pipeline(docs: Path, workdir: Path) -> tuple[float, float, int, int, bytes]:
    """Seconds, CPU seconds (every process), documents written, triples written, and the
    dataset as N-Quads."""
    settings = Settings(store=str(workdir / "store"))
    store = open_store(settings)
    try:
        gc.collect()
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = load_paths(store, settings, [docs])
        elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        if report.rejected:
            print(f"warning: {len(report.rejected)} documents rejected", file=sys.stderr)
        return elapsed, cpu, len(report.documents), report.triples, store.dump_nquads()
    finally:
        store.close()


def run_baseline(nquads: bytes, workdir: Path) -> tuple[float, float]:
    """Seconds and CPU seconds for pyoxigraph to bulk-load the same quads into a fresh
    on-disk store."""
    store = ox.Store(str(workdir / "baseline"))
    gc.collect()
    t0, c0 = time.perf_counter(), cpu_seconds()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    del store
    return elapsed, cpu


def time_phases(docs: Path, workdir: Path) -> dict[str, float]:
    """Seconds spent in each step over all documents, each step run on its own, one process."""
    from ccmkg.loaders.checking import check_text, subjects_of
    from ccmkg.loaders.emit import emit_set, graph_iri
    from ccmkg.loaders.extract import extract_document
    from ccmkg.loaders.tripleset import ntriples  # the workers' writer

    files = sorted(docs.iterdir())
    settings = Settings(store=str(workdir / "phases"))
    out: dict[str, float] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    extractions = [extract_document(p, p.read_bytes()) for p in files]
    out["read + extract"] = time.perf_counter() - t0
    # the CPU this one process used: what one core does when other work shares the machine
    out["read + extract, CPU seconds of its one process"] = time.process_time() - c0
    t0 = time.perf_counter()
    graphs = [emit_set(x, settings.base_iri)[1] for x in extractions]
    out["emit (into a TripleSet, as the workers do)"] = time.perf_counter() - t0
    check_text(ntriples(graphs[0]), ())  # compile the shapes outside the timing
    t0 = time.perf_counter()
    texts = [ntriples(g) for g in graphs]
    for text, g in zip(texts, graphs, strict=True):
        check_text(text, subjects_of(g))
    out["validate (SHACL, N-Triples as pyoxigraph writes them)"] = time.perf_counter() - t0
    names = [graph_iri(settings.base_iri, x.document.sha256) for x in extractions]
    store = open_store(settings)
    try:
        assert isinstance(store, EmbeddedStore)
        t0 = time.perf_counter()
        store.swap_in_graphs(dict(zip(names, texts, strict=True)))
        out["write (swap_in_graphs: bulk_load of graphs by pieces + union, swap)"] = (
            time.perf_counter() - t0
        )
    finally:
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="also time each step alone")
    args = parser.parse_args()

    pipeline_s, baseline_s, pipeline_cpu, baseline_cpu = [], [], [], []
    phase_runs: dict[str, list[float]] = {}
    docs_written = triples = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        make_documents(folder, args.docs)
        for run in range(args.runs):
            work = Path(tmp) / f"run{run}"
            work.mkdir()
            seconds, cpu, docs_written, triples, nquads = run_pipeline(folder, work)
            pipeline_s.append(seconds)
            pipeline_cpu.append(cpu)
            base_s, base_cpu = run_baseline(nquads, work)
            baseline_s.append(base_s)
            baseline_cpu.append(base_cpu)
            if args.phases:
                for step, secs in time_phases(folder, work).items():
                    phase_runs.setdefault(step, []).append(secs)
                    print(f"step alone: {step}: {secs:.2f} s", file=sys.stderr)
            print(
                f"run {run + 1}: pipeline {seconds:.2f} s ({cpu:.1f} CPU s), "
                f"baseline {base_s:.3f} s ({base_cpu:.1f} CPU s)",
                file=sys.stderr,
            )

    p, b = statistics.median(pipeline_s), statistics.median(baseline_s)
    print(f"\n{docs_written} documents, {triples:,} triples; medians of {args.runs} runs\n")
    print("| what | seconds | documents/s | triples/s | ratio to baseline (time) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(
        f"| ccmkg load_paths (read, extract, emit, validate, write) | {p:.2f} | "
        f"{docs_written / p:,.0f} | {triples / p:,.0f} | {p / b:.1f}× |"
    )
    print(
        f"| baseline: pyoxigraph bulk_load of the same quads | {b:.3f} | "
        f"{docs_written / b:,.0f} | {triples / b:,.0f} | 1.0× |"
    )
    pc, bc = statistics.median(pipeline_cpu), statistics.median(baseline_cpu)
    print(
        f"| CPU seconds of the load, every process (workers, threads) | {pc:.1f} | | | "
        f"{pc / bc:.1f}× the baseline's {bc:.1f} CPU s |"
    )
    phases = {step: statistics.median(runs) for step, runs in phase_runs.items()}
    for step, seconds in phases.items():
        print(
            f"| step alone: {step} | {seconds:.2f} | {docs_written / seconds:,.0f} | "
            f"{triples / seconds:,.0f} | {seconds / b:.1f}× |"
        )


if __name__ == "__main__":
    main()
