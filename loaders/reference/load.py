"""`ccmkg load --reference`: the reference files → validated named graphs → derived graphs.

Guarantees:
- the files are read and every source graph is built and validated (ontology + shapes) before
  anything is written; a graph that breaks a shape is reported and not written, the others are;
- the reference graphs are written in ONE `store.replace_graphs` call, which also drops the
  reference graphs of sources no longer in the files: loading twice gives the same store;
- the rules (queries/rules/) then run again over the whole store (`derive`), so derived
  deadlines always follow the facts they come from;
- document graphs are never touched, and loading documents never adds reference data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccmkg.loaders.pipeline import (
    MAX_REPORTED_RESULTS,
    Validate,
    default_validator,
    ensure_ontology,
)
from ccmkg.loaders.reference.emit import emit_reference
from ccmkg.loaders.reference.iris import Iris
from ccmkg.loaders.reference.rows import read_reference
from ccmkg.rules import DeriveReport, derive
from ccmkg.settings import Settings
from ccmkg.store.base import Store


@dataclass
class ReferenceReport:
    """What a reference load did, for the CLI and the tests."""

    rows: int = 0
    graphs: int = 0
    triples: int = 0
    dropped: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: dict[str, list[str]] = field(default_factory=dict)
    derived: DeriveReport = field(default_factory=DeriveReport)

    @property
    def ok(self) -> bool:
        return not self.rejected and self.derived.ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "graphs": self.graphs,
            "triples": self.triples,
            "dropped_graphs": self.dropped,
            "facts": dict(self.facts),
            "conflicts": self.conflicts,
            "problems": self.problems,
            "rejected": self.rejected,
            "derived": {
                "statements": dict(self.derived.derived),
                "triples": dict(self.derived.triples),
                "rejected": self.derived.rejected,
            },
        }


def base_of(settings: Settings) -> str:
    return settings.base_iri if settings.base_iri.endswith("/") else settings.base_iri + "/"


def load_reference(
    store: Store,
    settings: Settings,
    directory: Path | None = None,
    *,
    validate: Validate | None = None,
) -> ReferenceReport:
    """Load the reference data (bundled, or the CSV files of `directory`) and re-derive.

    Raises:
        BadReferenceFile: a file is missing or has no source columns (nothing written).
        StoreError: the store failed.
    """
    base = base_of(settings)
    ids = Iris(base)
    check = validate or default_validator()
    data = read_reference(directory)
    built = emit_reference(data, base)
    report = ReferenceReport(rows=data.count, facts=built.facts, conflicts=built.conflicts)
    report.problems = built.problems
    writes = {}
    for iri, graph in sorted(built.graphs.items()):
        conforms, details = check(graph, None)
        if conforms:
            writes[iri] = graph
        else:
            report.rejected[iri] = details[:MAX_REPORTED_RESULTS]
    ensure_ontology(store, base)
    prefix = ids.reference_graph_prefix()
    stale = [g for g in store.graphs() if g.startswith(prefix) and g not in writes]
    store.replace_graphs(writes, delete=stale)
    report.graphs = len(writes)
    report.triples = sum(len(g) for g in writes.values())
    report.dropped = len(stale)
    report.derived = derive(store, base, check)
    return report
