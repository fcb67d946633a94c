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

The rules run after every change of the facts, whoever makes it: `ccmkg load` (documents,
reference data) and an accepted or removed upload (POST/DELETE /ingest, `ccmkg ingest`). So
this module sits below both the loaders and the API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

import yaml
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ccmkg.model.iri import IriScheme
from ccmkg.model.terms import CCM
from ccmkg.resources import queries_dir
from ccmkg.store.base import Store

Verdict = tuple[bool, list[str]]  # (conforms, violation lines)
# (graph about to be written, other graphs' nodes it links to) → verdict
Validate = Callable[[Graph, Graph | None], Verdict]


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
    rewritten: int = 0  # derived graphs written (the others were already as derived)

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


def iri_segment(key: str) -> str:
    """A key as one IRI path segment (percent-encoded, as the IRI policy writes them)."""
    return quote(key, safe="-._~")


class RuleIris:
    """The rules' names for the patterns of ccmkg.model.iri, for one base IRI."""

    def __init__(self, base: str) -> None:
        self.scheme = IriScheme(base)
        self.base = self.scheme.base

    def rule(self, name: str) -> URIRef:
        return self.scheme.mint("rule", key=iri_segment(name))

    def derived_graph(self, rule: str) -> str:
        return str(self.scheme.mint("derived-graph", key=rule))

    def derived_graph_prefix(self) -> str:
        return self.scheme.prefix("derived-graph")

    def reference_graph_prefix(self) -> str:
        return self.scheme.prefix("reference-graph")


def rule_node(graph: Graph, ids: RuleIris, rule: Rule) -> None:
    node = ids.rule(rule.name)
    graph.add((node, RDF.type, CCM.Rule))
    graph.add((node, RDFS.label, Literal(rule.title)))
    graph.add((node, DCTERMS.description, Literal(rule.description)))
    graph.add((node, CCM.ruleFile, Literal(f"queries/rules/{rule.path.name}")))


def derive(
    store: Store, base_iri: str, validate: Validate, held: Mapping[str, int] | None = None
) -> DeriveReport:
    """Re-run every rule against `store` and replace the derived graphs, stage by stage.
    `held`: the store's graphs and their sizes, when the caller has just read them (a count
    walks every quad).

    Raises:
        StoreError: the store failed (graphs of earlier stages stay written).
    """
    ids = RuleIris(base_iri)
    report = DeriveReport()
    all_rules = rules()
    known = {ids.derived_graph(r.name) for r in all_rules}
    held = store.graphs() if held is None else held
    stale = [g for g in held if g.startswith(ids.derived_graph_prefix()) and g not in known]
    for stage in sorted({r.stage for r in all_rules}):
        writes: dict[str, Graph] = {}
        for rule in (r for r in all_rules if r.stage == stage):
            bindings = {"base": Literal(ids.base), "rule": ids.rule(rule.name)}
            graph = store.construct(rule.text, bindings)
            rule_node(graph, ids, rule)
            conforms, details = validate(graph, None)
            if not conforms:
                report.rejected[rule.name] = list(details)
                continue
            iri = ids.derived_graph(rule.name)
            if not _unchanged(store, iri, held.get(iri), graph):
                writes[iri] = graph
            report.triples[rule.name] = len(graph)
            report.derived[rule.name] = len(set(graph.subjects(CCM.rule, None)))
        store.replace_graphs(writes, delete=stale)
        report.rewritten += len(writes)
        stale = []
    return report


def _unchanged(store: Store, iri: str, count: int | None, graph: Graph) -> bool:
    """Whether the store holds `graph` as `iri` already (then it is not written again).

    Why: most changes of the facts (an upload, a document) leave most derived graphs as they
    were, and every write renews the query workers and the answer caches. Compared as sets of
    triples; a graph with blank nodes is always written (their labels differ between runs).
    """
    if count != len(graph) or any(isinstance(t, BNode) for triple in graph for t in triple):
        return False
    return set(store.graph_triples(iri)) == set(graph)


def rederive_if_reference(store: Store, base_iri: str, validate: Validate) -> DeriveReport | None:
    """After facts changed: re-run the rules when the store holds reference data (the rules
    read it: the calendar, the entries into force; without it they derive nothing, and
    `ccmkg load --reference` runs them when it arrives)."""
    held = store.graphs()
    prefix = RuleIris(base_iri).reference_graph_prefix()
    if not any(g.startswith(prefix) for g in held):
        return None
    return derive(store, base_iri, validate, held)
