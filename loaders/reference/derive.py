"""Run the declared rules (queries/rules/*.rq) and write what they derive, with its lineage.

Each rule is a SPARQL CONSTRUCT file with a header (title, description, stage, inputs,
output). It runs against the whole store with `?base` (the base IRI) and `?rule` (its own IRI)
bound, and its output replaces the named graph `{base}graph/derived/{rule}`, together with
the rule's own node (a ccm:Rule with its label, description and file). Rules of one stage
are written in one atomic call; a later stage reads what the earlier stages wrote (deadlines
read entries into force). Graphs of rules that no longer exist are dropped in the first call.
Derived graphs are validated like any load: a graph that breaks a shape is not written.
A rule must not construct the triples its WHERE clause matches: its previous output would keep
its own inputs alive when they are removed from the facts (tests/reference: re-derivation).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS

from ccmkg.loaders.pipeline import Validate, default_validator
from ccmkg.loaders.reference.iris import Iris
from ccmkg.model.terms import CCM
from ccmkg.resources import queries_dir
from ccmkg.store.base import Store


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    description: str
    stage: int
    text: str
    path: Path


@dataclass
class DeriveReport:
    """What the rules wrote: triples and derived statements per rule, and what was refused."""

    triples: Counter[str] = field(default_factory=Counter)
    derived: Counter[str] = field(default_factory=Counter)
    rejected: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.rejected


def rules_dir() -> Path:
    return queries_dir() / "rules"


def parse_rule(path: Path) -> Rule:
    header = "\n".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    meta = yaml.safe_load(header) or {}
    return Rule(
        name=path.stem,
        title=str(meta.get("title", path.stem)).strip(),
        description=str(meta.get("description", "")).strip(),
        stage=int(meta.get("stage", 1)),
        text=path.read_text(encoding="utf-8"),
        path=path,
    )


@cache
def _rules(directory: str) -> tuple[Rule, ...]:
    return tuple(
        sorted(
            (parse_rule(p) for p in Path(directory).glob("*.rq")), key=lambda r: (r.stage, r.name)
        )
    )


def rules(directory: Path | None = None) -> tuple[Rule, ...]:
    """The rules, in the order they run (stage, then name)."""
    return _rules(str(directory or rules_dir()))


def rule_node(graph: Graph, ids: Iris, rule: Rule) -> None:
    node = ids.rule(rule.name)
    graph.add((node, RDF.type, CCM.Rule))
    graph.add((node, RDFS.label, Literal(rule.title)))
    graph.add((node, DCTERMS.description, Literal(rule.description)))
    graph.add((node, CCM.ruleFile, Literal(f"queries/rules/{rule.path.name}")))


def derive(store: Store, base_iri: str, validate: Validate | None = None) -> DeriveReport:
    """Re-run every rule against `store` and replace the derived graphs, stage by stage.

    Raises:
        StoreError: the store failed (graphs of earlier stages stay written).
    """
    check = validate or default_validator()
    ids = Iris(base_iri)
    report = DeriveReport()
    all_rules = rules()
    known = {ids.derived_graph(r.name) for r in all_rules}
    stale = [g for g in store.graphs() if g.startswith(ids.derived_graph_prefix())]
    stale = [g for g in stale if g not in known]
    for stage in sorted({r.stage for r in all_rules}):
        writes: dict[str, Graph] = {}
        for rule in (r for r in all_rules if r.stage == stage):
            bindings = {"base": Literal(ids.base), "rule": ids.rule(rule.name)}
            graph = store.construct(rule.text, bindings)
            rule_node(graph, ids, rule)
            conforms, details = check(graph, None)
            if not conforms:
                report.rejected[rule.name] = list(details)
                continue
            writes[ids.derived_graph(rule.name)] = graph
            report.triples[rule.name] = len(graph)
            report.derived[rule.name] = len(set(graph.subjects(CCM.rule, None)))
        store.replace_graphs(writes, delete=stale)
        stale = []
    return report
