"""What a load did, for the terminal summary, the API and the tests: collected, never fatal."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["new", "updated", "reloaded"]


@dataclass(frozen=True)
class DocumentOutcome:
    """One document written to the store: `updated` replaced an earlier version of the file,
    `reloaded` replaced a graph with the same checksum (same bytes loaded again)."""

    path: Path
    file_name: str
    sha256: str
    graph: str
    status: Status
    triples: int
    facts: Counter[str]
    replaced: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """A document left out of the store, with the reasons a data steward can act on."""

    path: Path
    reason: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """An unresolved name, a conflict or a warning, with the file (and offset) it came from."""

    file_name: str
    message: str
    start: int | None = None


@dataclass(frozen=True)
class ReviewFinding:
    """A string kept for review instead of becoming an actor: what it is, why, and where."""

    file_name: str
    text: str
    reason: str  # unresolved-name | person-name | page-marker | table-fragment | name
    quote: str
    start: int | None = None
    iri: str = ""  # its ccm:ReviewItem, when one was written


@dataclass
class LoadReport:
    documents: list[DocumentOutcome] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unresolved: list[Finding] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # persons merged across spellings and pairs kept apart for review, each with its reason
    persons: list[Finding] = field(default_factory=list)
    review: list[ReviewFinding] = field(default_factory=list)

    @property
    def facts(self) -> Counter[str]:
        """Fact nodes by kind, summed over the documents written."""
        total: Counter[str] = Counter()
        for d in self.documents:
            total.update(d.facts)
        return total

    @property
    def triples(self) -> int:
        return sum(d.triples for d in self.documents)

    @property
    def ok(self) -> bool:
        """True when no document was rejected (unresolved names and warnings do not count)."""
        return not self.rejected

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON (the API and `--json` output)."""
        return {
            "documents": [
                {
                    "file": d.file_name,
                    "sha256": d.sha256,
                    "graph": d.graph,
                    "status": d.status,
                    "triples": d.triples,
                    "facts": dict(d.facts),
                    "replaced": list(d.replaced),
                }
                for d in self.documents
            ],
            "facts": dict(self.facts),
            "triples": self.triples,
            "rejected": [
                {"file": str(r.path), "reason": r.reason, "details": list(r.details)}
                for r in self.rejected
            ],
            "unresolved": [f.__dict__ for f in self.unresolved],
            "conflicts": [f.__dict__ for f in self.conflicts],
            "warnings": [f.__dict__ for f in self.warnings],
            "persons": [f.__dict__ for f in self.persons],
            "review": [f.__dict__ for f in self.review],
        }
