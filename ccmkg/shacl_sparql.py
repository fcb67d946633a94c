"""SHACL shapes compiled to SPARQL SELECT queries, run on a pyoxigraph store already indexed.

Why: the store holds the data with its indexes built; re-parsing 1M triples for a SHACL engine
costs more than checking every shape (docs/decisions/validation.md). Each constraint of each
shape becomes one query answering `?this` (focus node) and `?value`; nested shapes (sh:node,
sh:not, sh:and, sh:or, sh:xone) become EXISTS tests. Shapes using anything outside the subset
below raise `Unsupported`, and the caller falls back to a general engine (pyshacl), so an
arbitrary shapes graph (an upload, the W3C suite) is never checked by half.

Supported: targets (class, implicit class, node, subjectsOf, objectsOf), SPARQL property paths,
class, datatype, nodeKind, minCount/maxCount (≤ 3), min/maxLength, pattern, in, hasValue,
min/max In/Exclusive, lessThan, lessThanOrEquals, uniqueLang, languageIn, node, not, and, or,
xone, and sh:sparql SELECT constraints at the top level (no pre-bound `$shapesGraph`).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

# Datatypes whose well-formedness a SPARQL cast decides (oxigraph casts all of these).
_CASTABLE = {
    f"{XSD}{n}"
    for n in (
        "date", "dateTime", "time", "integer", "decimal", "double", "float", "boolean",
        "gYear", "gYearMonth", "gMonthDay", "gMonth", "gDay", "duration",
    )
}  # fmt: skip
# Datatypes every lexical form belongs to.
_ANY_FORM = {f"{XSD}string", f"{XSD}anyURI", str(RDF.langString)}
# Integer subtypes: a cast to xsd:integer plus the range.
_INT_RANGES = {
    f"{XSD}nonNegativeInteger": ">= 0",
    f"{XSD}positiveInteger": "> 0",
    f"{XSD}nonPositiveInteger": "<= 0",
    f"{XSD}negativeInteger": "< 0",
}
_MAX_WORKERS = 4  # threads running checks (capped by the cores)
_MAX_COUNT_LIMIT = 3  # counts compile to pairwise-distinct patterns; beyond this, fall back
_KNOWN = {
    SH[n]
    for n in [
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "property",
        "path",
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "in",
        "hasValue",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "lessThan",
        "lessThanOrEquals",
        "uniqueLang",
        "languageIn",
        "node",
        "not",
        "and",
        "or",
        "xone",
        "sparql",
        "severity",
        "message",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "deactivated",
    ]
}
_STRUCTURE = {RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf}


@dataclass
class _Item:
    """One constraint before rendering: `kind` says how (see `_top_body` and `_expr`)."""

    comp: str
    kind: str  # value | not-in-classes | class-count | absent | present | pair
    text: str  # a condition or a pattern, `{v}` standing for the focus (or value) node
    has_value: bool
    walk: _Walk | None = None
    classes: tuple[str, ...] = ()
    other: bool = False  # results are per ?other too (lessThan pairs, uniqueLang languages)
    count: int = 0  # the bound of a min/maxCount
    top: str | None = None  # a cheaper form of `text` where the focus is not bound from outside


Count = tuple[str, str]  # a one-row aggregate query and one of its variables
Proof = tuple[tuple[Count, Count], ...]  # equal pairs: the check has no violation


class Unsupported(Exception):
    """The shapes use a feature this compiler does not translate: use a general engine."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape in context: the query answering its violations."""

    shape: Node  # the shape holding the constraint (sh:sourceShape)
    component: str  # e.g. "MinCountConstraintComponent"
    path: Node | None  # the property shape's path node (in the shapes graph)
    severity: str  # the IRI (sh:Violation, sh:Warning, sh:Info or a severity of one's own)
    message: Literal | None
    query: str  # SELECT ?this ?value (and, for sh:sparql, the message's variables)
    has_value: bool = True  # the query answers ?value
    node_value: bool = False  # the value is the focus node (node-level constraints)
    needs: tuple[str, ...] = ()  # graph patterns that must all match for a violation to exist
    # Pairs of counts (query, variable) whose equalities prove the check has no violation:
    # cheap aggregates, asked before the check's own (join) query.
    proof: Proof = ()
    # Checks sharing one query (`_shared_scan`): the variable that is true on this one's rows.
    flag: str | None = None


@dataclass(frozen=True)
class Violation:
    check: Check
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    message: str | None  # sh:sparql messages with {?var} filled in


@dataclass
class _Vars:
    n: itertools.count = field(default_factory=itertools.count)

    def new(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.n)}"


def _term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        lex = (
            str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r")
        )  # fmt: skip
        if t.language:
            return f'"{lex}"@{t.language}'
        return f'"{lex}"^^<{t.datatype or XSD + "string"}>'
    raise Unsupported(f"blank node {t} used as a constant")


def _integer(term: Node) -> int:
    """A count or length given in the shapes, or `Unsupported` when it is not an integer."""
    try:
        return int(str(term))
    except ValueError:
        raise Unsupported(f"{term!r} is not an integer") from None


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


class Compiler:
    """Walks a shapes graph once; `checks` is the list of top-level queries."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.vars = _Vars()
        self.checks: list[Check] = []
        self._nesting: set[Node] = set()
        if any((None, p, None) in shapes for p in (SH.parameter, SH.validator,
               SH.nodeValidator, SH.propertyValidator)) or (
            None, RDF.type, SH.ConstraintComponent) in shapes:  # fmt: skip
            raise Unsupported("custom constraint components")
        for shape in self._target_shapes():
            if self._deactivated(shape):
                continue
            self._visit(shape, self._target_pattern(shape), 0)

    def _visit(self, shape: Node, target: str, depth: int, parents: str = "") -> None:
        """`shape`'s checks on `target`, then its property shapes' on its value nodes.

        `parents` are the variables of the focus nodes above (projected: a value node reached
        from two parents is checked, and reported, once per parent, as the spec says).
        """
        if depth > 8:
            raise Unsupported("property shapes nested deeper than 8")
        self._top(shape, target, parents)
        path = self.g.value(shape, SH.path)
        for prop in self.g.objects(shape, SH.property):
            if self._deactivated(prop):
                continue
            sub, above = target, parents
            if path is not None:  # a property shape's value nodes are the focus nodes below
                o = self.vars.new("o")
                inner = re.sub(r"\?this\b", o, target)
                sub = f"{{ {inner} }} {_Walk(self, path)(o, '?this')}"
                above = f"{parents} {o}"
            self._visit(prop, sub, depth + 1, above)

    # --- shapes and targets ----------------------------------------------------------------

    def _deactivated(self, shape: Node) -> bool:
        value = self.g.value(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def _target_shapes(self) -> list[Node]:
        preds = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        found = {s for p in preds for s in self.g.subjects(p, None)}
        for kind in (SH.NodeShape, SH.PropertyShape):
            for s in self.g.subjects(RDF.type, kind):
                if (s, RDF.type, RDFS.Class) in self.g:
                    found.add(s)
        return sorted(found, key=str)

    def _target_pattern(self, shape: Node) -> str:
        parts: list[str] = []
        classes = list(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g:
            classes.append(shape)
        parts += [f"{{ ?this {TYPE_PATH} {_term(c)} }}" for c in classes]
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"{{ VALUES ?this {{ {' '.join(_term(n) for n in nodes)} }} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {_term(p)} {self.vars.new()} }}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ {self.vars.new()} {_term(p)} ?this }}")
        return " UNION ".join(parts)

    # --- paths -----------------------------------------------------------------------------

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            items = list(Collection(self.g, node))
            if len(items) < 2:
                raise Unsupported("a sequence path of fewer than two members")
            return "(" + "/".join(self.path(i) for i in items) + ")"
        ops = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+",
               SH.zeroOrOnePath: "{}?"}  # fmt: skip
        preds = set(self.g.predicates(node, None))
        for pred, fmt in ops.items():
            inner = self.g.value(node, pred)
            if inner is not None and preds == {pred}:
                return "(" + fmt.format(self.path(inner)) + ")"
        alt = self.g.value(node, SH.alternativePath)
        if alt is not None and preds == {SH.alternativePath}:
            items = list(Collection(self.g, alt))
            if len(items) < 2:
                raise Unsupported("an alternative path of fewer than two members")
            return "(" + "|".join(self.path(i) for i in items) + ")"
        raise Unsupported(f"path {node!r}")

    # --- constraints -----------------------------------------------------------------------

    def _check_vocabulary(self, shape: Node) -> None:
        for pred in set(self.g.predicates(shape, None)):
            if str(pred).startswith(str(SH)) and pred not in _KNOWN:
                raise Unsupported(f"{_local(pred)} on {shape}")

    def _severity(self, shape: Node) -> str:
        sev = self.g.value(shape, SH.severity)
        return str(sev) if sev is not None else str(SH.Violation)

    def _message(self, node: Node) -> Literal | None:
        msgs = [m for m in self.g.objects(node, SH.message) if isinstance(m, Literal)]
        if len(msgs) > 1:
            raise Unsupported("several sh:message values")  # which one pyshacl shows varies
        return msgs[0] if msgs else None

    def _top(self, shape: Node, target: str, parents: str = "") -> None:
        """Every constraint of `shape` as its own query over the target's focus nodes."""
        self._check_vocabulary(shape)
        path = self.g.value(shape, SH.path)
        sev, msg = self._severity(shape), self._message(shape)
        items = list(self._constraints(shape))
        scans = [i for i in items if i.kind == "value" and i.walk is not None and not i.other]
        if len(scans) > 1:  # one scan of the path's values tests them all
            self._shared_scan(shape, scans, target, parents, path, sev, msg)
            items = [i for i in items if i not in scans]
        for item in items:
            body = self._top_body(item, "?this")
            projection = (
                ("?this ?value" if item.has_value else "?this")
                + (" ?other" if item.other else "")
                + parents
            )
            if item.kind == "class-count":
                where = self._class_count(item, target, parents)
            elif item.kind == "present" and item.top is not None:  # counted first, target last
                where = f"{item.top.replace('{v}', '?this')} {{ {target} }}"
            elif item.kind in ("value", "not-in-classes", "pair") and item.walk is not None:
                # values first, the target last: the failing values are few, the focus nodes many
                where = f"{{ SELECT * WHERE {{ {body} }} }} {{ {target} }}"
            else:
                where = f"{{ {target} }} {body}"
            query = f"SELECT DISTINCT {projection} WHERE {{ {where} }}"
            needs = [target]
            if isinstance(path, URIRef) and item.kind != "absent":
                # a violation needs a value on the path: no such triple, nothing to check
                needs.append(f"?s <{path}> ?o")
            self.checks.append(
                Check(
                    shape,
                    item.comp,
                    path,
                    sev,
                    msg,
                    query,
                    item.has_value,
                    item.walk is None,
                    tuple(needs),
                    _proof(item, target, path),
                )
            )
        for sparql in self.g.objects(shape, SH.sparql):
            self.checks.append(self._sparql(shape, sparql, target, path))

    def _shared_scan(
        self,
        shape: Node,
        items: list[_Item],
        target: str,
        parents: str,
        path: Node | None,
        sev: str,
        msg: Literal | None,
    ) -> None:
        """Value conditions on one path as one query: each condition bound to a flag.

        Why: each separate query walks every value of the path (100k at 1M triples) to find
        the few that fail. A flag that is unbound (its condition raised an error) counts as
        false, as an error does in the FILTER of a query of its own.
        """
        walk = items[0].walk
        assert walk is not None
        flags = [self.vars.new("f") for _ in items]
        binds = " ".join(
            f"BIND(({i.text.replace('{v}', '?value')}) AS {f})"
            for i, f in zip(items, flags, strict=True)
        )
        test = " || ".join(f"COALESCE({f}, false)" for f in flags)
        query = (
            f"SELECT DISTINCT ?this ?value {' '.join(flags)}{parents} WHERE {{ "
            f"{{ SELECT * WHERE {{ {walk('?this', '?value')} {binds} FILTER({test}) }} }} "
            f"{{ {target} }} }}"
        )
        needs = [target]
        if isinstance(path, URIRef):
            needs.append(f"?s <{path}> ?o")
        for item, flag in zip(items, flags, strict=True):
            self.checks.append(
                Check(shape, item.comp, path, sev, msg, query, needs=tuple(needs), flag=flag[1:])
            )

    def _class_count(self, item: _Item, target: str, parents: str) -> str:
        """Value nodes not instances of exactly one of `item.classes`, counted per node.

        The classes are numbered so that a class listed twice counts twice, as in sh:xone.
        """
        i, k, n = self.vars.new("i"), self.vars.new("k"), self.vars.new("n")
        value = "BIND(?this AS ?value)" if item.walk is None else item.walk("?this", "?value")
        rows = " ".join(f"({j} {c})" for j, c in enumerate(item.classes))
        keys = f"?this ?value{parents}"
        return (
            f"{{ SELECT {keys} (COUNT(DISTINCT {i}) AS {n}) WHERE {{ {{ {target} }} {value} "
            f"OPTIONAL {{ VALUES ({i} {k}) {{ {rows} }} ?value {TYPE_PATH} {k} }} }} "
            f"GROUP BY {keys} }} FILTER({n} != 1)"
        )

    def _top_body(self, item: _Item, this: str) -> str:
        """The pattern matching once per violation, `this` bound by the target before it.

        Absence is a MINUS (evaluated once, then an anti-join): oxigraph plans a multi-pattern
        NOT EXISTS without the outer binding, which is quadratic at 100k nodes.
        """
        if item.kind == "absent":
            return f"MINUS {{ {(item.top or item.text).replace('{v}', this)} }}"
        if item.kind == "present":
            return item.text.replace("{v}", this)
        if item.kind == "pair":
            assert item.walk is not None
            return item.walk(this, "?value") + " " + item.text.replace("{v}", this)
        value = f"BIND({this} AS ?value)" if item.walk is None else item.walk(this, "?value")
        if item.kind == "not-in-classes":
            return value + "".join(f" MINUS {{ ?value {TYPE_PATH} {c} }}" for c in item.classes)
        return f"{value} FILTER({item.text.replace('{v}', '?value')})"

    def _expr(self, item: _Item, v: str) -> str:
        """The same violation as a condition on a bound node `v` (for nested shapes)."""
        if item.kind == "absent":
            return f"NOT EXISTS {{ {item.text.replace('{v}', v)} }}"
        if item.kind == "present":
            text = item.text.replace("{v}", v).replace("?other", self.vars.new("w"))
            return f"EXISTS {{ {text} }}"
        if item.kind == "pair":
            assert item.walk is not None
            x = self.vars.new("x")
            pair = item.text.replace("{v}", v).replace("?value", x)
            pair = pair.replace("?other", self.vars.new("w"))
            return f"EXISTS {{ {item.walk(v, x)} {pair} }}"
        if item.kind == "not-in-classes":
            cond = " && ".join(f"NOT EXISTS {{ {{v}} {TYPE_PATH} {c} }}" for c in item.classes)
        else:
            cond = item.text
        if item.walk is None:
            return "(" + cond.replace("{v}", v) + ")"
        x = self.vars.new("x")
        return f"EXISTS {{ {item.walk(v, x)} FILTER({cond.replace('{v}', x)}) }}"

    def _constraints(self, shape: Node) -> Iterator[_Item]:
        """One item per constraint of `shape`; `{v}` in its text stands for the focus node."""
        g = self.g
        path_node = g.value(shape, SH.path)
        walk = _Walk(self, path_node) if path_node is not None else None
        for comp, kind, text, classes in self._value_conditions(shape):
            yield _Item(comp, kind, text, True, walk, classes)
        if walk is None:
            for pred in (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals,
                         SH.uniqueLang):  # fmt: skip
                if (shape, pred, None) in g:
                    raise Unsupported(f"{_local(pred)} on a node shape")
            for value in g.objects(shape, SH.hasValue):
                yield _Item("HasValueConstraintComponent", "present",
                            f"FILTER(!sameTerm({{v}}, {_term(value)}))", False)  # fmt: skip
            return
        for pred, comp in ((SH.minCount, "MinCount"), (SH.maxCount, "MaxCount")):
            count = g.value(shape, pred)
            if count is None:
                continue
            n = _integer(count)
            if n > _MAX_COUNT_LIMIT:
                raise Unsupported(f"{comp} {n}")
            if comp == "MinCount" and n > 0:
                pattern = self._distinct(walk, n)
                yield _Item(f"{comp}ConstraintComponent", "absent", pattern, False, count=n)
            elif comp == "MaxCount":
                pattern = self._distinct(walk, n + 1)
                # at the top: the values counted per node (one grouped scan, not a self-join)
                c = self.vars.new("c")
                top = (
                    f"{{ SELECT {{v}} WHERE {{ {walk('{v}', c)} }} "
                    f"GROUP BY {{v}} HAVING (COUNT(DISTINCT {c}) > {n}) }}"
                )
                yield _Item(
                    f"{comp}ConstraintComponent", "present", pattern, False, count=n, top=top
                )
        for value in g.objects(shape, SH.hasValue):
            # the value compared, not written into the path: a path with both ends bound is
            # walked from the constant end by oxigraph, over every node that has the value
            hv = self.vars.new("h")
            pattern = f"{walk('{v}', hv)} FILTER(sameTerm({hv}, {_term(value)}))"
            # in a top-level MINUS nothing is bound from outside: walking from the value is best
            top = walk("{v}", _term(value))
            yield _Item("HasValueConstraintComponent", "absent", pattern, False, top=top)
        for pred, op, comp in ((SH.lessThan, "<", "LessThan"),
                               (SH.lessThanOrEquals, "<=", "LessThanOrEquals")):  # fmt: skip
            for other in g.objects(shape, pred):
                # one result per (value, other value) pair: ?other is projected
                cond = f"{{v}} {_term(other)} ?other FILTER(COALESCE(!(?value {op} ?other), true))"
                yield _Item(f"{comp}ConstraintComponent", "pair", cond, True, walk, other=True)
        unique = g.value(shape, SH.uniqueLang)
        if unique is not None and unique == Literal(True):
            a, b = self.vars.new("a"), self.vars.new("b")
            pattern = (
                f"{walk('{v}', a)} {walk('{v}', b)} FILTER(!sameTerm({a}, {b}) && "
                f"lang({a}) != '' && lang({a}) = lang({b})) BIND(lang({a}) AS ?other)"
            )  # one result per language used twice: ?other is projected
            yield _Item("UniqueLangConstraintComponent", "present", pattern, False, other=True)

    def _distinct(self, walk: _Walk, n: int) -> str:
        """A pattern matching when `{v}` has at least `n` distinct values on the path."""
        vs = [self.vars.new("c") for _ in range(n)]
        pattern = " ".join(walk("{v}", v) for v in vs)
        pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
        return pattern + (f" FILTER({' && '.join(pairs)})" if pairs else "")

    def _value_conditions(self, shape: Node) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
        """(component, kind, SPARQL condition true when value `{v}` violates, classes)."""
        g = self.g
        for cls in g.objects(shape, SH["class"]):
            yield "ClassConstraintComponent", "not-in-classes", "", (_term(cls),)
        for dt in g.objects(shape, SH.datatype):
            yield "DatatypeConstraintComponent", "value", "!(" + _datatype_ok(dt) + ")", ()
        kind = g.value(shape, SH.nodeKind)
        if kind is not None:
            kinds = {
                "IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
                "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
                "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
                "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
            }  # fmt: skip
            if _local(kind) not in kinds:
                raise Unsupported(f"sh:nodeKind {kind}")
            yield "NodeKindConstraintComponent", "value", "!" + kinds[_local(kind)], ()
        for pred, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
            n = g.value(shape, pred)
            if n is not None:
                comp = "MinLength" if pred == SH.minLength else "MaxLength"
                cond = f"(isBlank({{v}}) || STRLEN(STR({{v}})) {op} {_integer(n)})"
                yield f"{comp}ConstraintComponent", "value", cond, ()
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = _term(Literal(str(pattern))) + (
                ", " + _term(Literal(str(flags))) if flags is not None else ""
            )
            cond = f"(isBlank({{v}}) || !REGEX(STR({{v}}), {args}))"
            yield "PatternConstraintComponent", "value", cond, ()
        for members in g.objects(shape, SH["in"]):
            alts = " || ".join(f"sameTerm({{v}}, {_term(m)})" for m in Collection(g, members))
            yield "InConstraintComponent", "value", f"!({alts or 'false'})", ()
        for pred, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="),
                         (SH.minExclusive, ">"), (SH.maxExclusive, "<")):  # fmt: skip
            for bound in g.objects(shape, pred):
                comp = _local(pred)[0].upper() + _local(pred)[1:]
                cond = f"(isBlank({{v}}) || COALESCE(!({{v}} {op} {_term(bound)}), true))"
                yield f"{comp}ConstraintComponent", "value", cond, ()
        for langs in g.objects(shape, SH.languageIn):
            alts = " || ".join(
                f"langMatches(lang({{v}}), {_term(Literal(str(t)))})" for t in Collection(g, langs)
            )
            cond = f"!(isLiteral({{v}}) && ({alts or 'false'}))"
            yield "LanguageInConstraintComponent", "value", cond, ()
        for inner in g.objects(shape, SH.node):
            yield "NodeConstraintComponent", "value", self._violates(inner), ()
        for inner in g.objects(shape, SH["not"]):
            yield "NotConstraintComponent", "value", "!" + self._violates(inner), ()
        for pred, comp in ((SH["and"], "And"), (SH["or"], "Or"), (SH.xone, "Xone")):
            for members in g.objects(shape, pred):
                shapes = list(Collection(g, members))
                classes = [self._only_class(m) for m in shapes]
                if comp == "Or" and shapes and all(classes):
                    # "an instance of one of these classes": MINUS per class at the top level
                    yield (
                        f"{comp}ConstraintComponent",
                        "not-in-classes",
                        "",
                        tuple(c for c in classes if c),
                    )
                    continue
                tests = [self._violates(m) for m in shapes]
                if comp == "Xone" and shapes and all(classes):
                    # "an instance of exactly one of these classes": counted per node at the
                    # top level (one grouped pass instead of a NOT EXISTS per node and class)
                    cond = "(" + " + ".join(f"IF({t}, 0, 1)" for t in tests) + ") != 1"
                    yield (
                        f"{comp}ConstraintComponent",
                        "class-count",
                        f"({cond})",
                        tuple(c for c in classes if c),
                    )
                    continue
                if comp == "And":
                    cond = " || ".join(tests) or "false"
                elif comp == "Or":
                    cond = " && ".join(tests) or "true"
                else:
                    cond = "(" + " + ".join(f"IF({t}, 0, 1)" for t in tests) + ") != 1"
                yield f"{comp}ConstraintComponent", "value", f"({cond})", ()

    def _only_class(self, shape: Node) -> str | None:
        """The class of a shape that says only `sh:class C`, else None."""
        preds = set(self.g.predicates(shape, None)) - _STRUCTURE
        if preds != {SH["class"]} or len(list(self.g.objects(shape, SH["class"]))) != 1:
            return None
        cls = self.g.value(shape, SH["class"])
        return None if cls is None else _term(cls)

    def _violates(self, shape: Node) -> str:
        """A SPARQL condition true when the node `{v}` does not conform to `shape`."""
        if shape in self._nesting:
            raise Unsupported("recursive shapes")
        self._nesting.add(shape)
        try:
            self._check_vocabulary(shape)
            if (shape, SH.sparql, None) in self.g:
                raise Unsupported("sh:sparql inside a nested shape")
            tests = [self._expr(item, "{v}") for item in self._constraints(shape)]
            path = self.g.value(shape, SH.path)
            for prop in self.g.objects(shape, SH.property):
                if self._deactivated(prop):
                    continue
                inner = self._violates(prop)
                if path is None:
                    tests.append(inner)
                else:  # on each value node of this property shape
                    x = self.vars.new("x")
                    walk = _Walk(self, path)("{v}", x)
                    tests.append(f"EXISTS {{ {walk} FILTER({inner.replace('{v}', x)}) }}")
            return "(" + (" || ".join(tests) or "false") + ")"
        finally:
            self._nesting.discard(shape)

    def _sparql(self, shape: Node, constraint: Node, target: str, path: Node | None) -> Check:
        g = self.g
        select = g.value(constraint, SH.select)
        extra = set(g.predicates(constraint, None)) - {RDF.type, SH.select, SH.message,
                                                        SH.prefixes, SH.deactivated}  # fmt: skip
        if select is None or extra or (constraint, SH.prefixes, None) in g:
            raise Unsupported("sh:sparql beyond a plain sh:select")
        text = re.sub(r"(?m)^\s*#.*$", "", str(select))  # whole-line comments
        if re.search(r"\$(shapesGraph|currentShape)\b", text) or re.search(
            r"\b(MINUS|SERVICE|VALUES)\b|\bSELECT\b[^{]*\{[^}]*\bSELECT\b", text, re.I
        ):
            raise Unsupported("sh:sparql with pre-bound graphs or forbidden forms")
        if re.search(r"\bAS\s*[?$](this|value|PATH)\b", text, re.I):
            raise Unsupported("sh:sparql binding a pre-bound variable")
        if path is not None:
            text = re.sub(r"\$PATH\b", self.path(path), text)
        text = re.sub(r"\$this\b", "?this", text)
        prologue, _, rest = text.partition("SELECT")
        if not rest:
            raise Unsupported("sh:sparql select without SELECT")
        query = f"{prologue} SELECT * WHERE {{ {{ {target} }} {{ SELECT{rest} }} }}"
        msg = self._message(constraint) or self._message(shape)
        return Check(shape, "SPARQLConstraintComponent", path, self._severity(shape), msg, query,
                     True, False, (target,))  # fmt: skip


class _Walk:
    """A SHACL path as a graph pattern from one variable to another.

    Sequences and inverses become joins over fresh variables and alternatives UNIONs, not
    SPARQL path syntax: inside EXISTS, oxigraph evaluates a sequence path without the outer
    binding (quadratic at 100k nodes), while a join is planned from the bound end.
    """

    def __init__(self, compiler: Compiler, node: Node) -> None:
        self.c = compiler
        self.node = node
        compiler.path(node)  # refuses what it cannot translate

    def __call__(self, s: str, o: str) -> str:
        return self._walk(self.node, s, o)

    def _walk(self, node: Node, s: str, o: str) -> str:
        g = self.c.g
        if isinstance(node, URIRef):
            return f"{s} <{node}> {o} ."
        if (node, RDF.first, None) in g:
            items = list(Collection(g, node))
            mids = [self.c.vars.new("m") for _ in items[:-1]]
            ends = [s, *mids, o]
            return " ".join(self._walk(i, ends[k], ends[k + 1]) for k, i in enumerate(items))
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return self._walk(inverse, o, s)
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return (
                " UNION ".join("{ " + self._walk(i, s, o) + " }" for i in Collection(g, alt)) + " ."
            )
        return f"{s} {self.c.path(node)} {o} ."


def _proof(item: _Item, target: str, path: Node | None) -> Proof:
    """Counts that are pairwise equal only when `item` (on `target`, `path`) has no violation.

    Why: a join of 100k focus nodes with their values costs oxigraph ~5× a count over one
    predicate, and an anti-join (MINUS) ~2× the join it subtracts; on valid data almost every
    check finds nothing. T = the focus nodes, I = instances, and for a plain predicate path
    `p`, S = its subjects, O = its objects:
    - minCount 1 on `p`: |T ∪ S| = |S| means T ⊆ S: every focus node has a value (|S| is
      shared with maxCount's count).
    - other minCounts, hasValue (any path): W = the nodes that have what is required;
      |T ∪ W| = |W|, both counted in one pass, means T ⊆ W.
    - maxCount ≥ 1 on `p`: |p triples| = |S| means no subject has two values.
    - class C (or sh:or of classes) on `p`: |O ∪ I(C…)| = |I(C…)| means every value is one.
    - sh:xone of classes, on the focus nodes (or O): Σ|I(Cₖ)| = |∪ I(Cₖ)| means no node is in
      two of them, and |T ∪ ∪ I(Cₖ)| = |∪ I(Cₖ)| that every focus node is in one.
    Unequal counts prove nothing: the check's own query runs.
    """
    p = f"<{path}>"
    per_predicate = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?d) WHERE {{ ?s {p} ?o }}"
    simple = isinstance(path, URIRef)
    if simple and item.comp == "MinCountConstraintComponent" and item.count == 1:
        union = (
            f"SELECT (COUNT(DISTINCT ?this) AS ?u) "
            f"WHERE {{ {{ {target} }} UNION {{ ?this {p} ?_o }} }}"
        )
        return (((union, "u"), (per_predicate, "d")),)
    if item.kind == "absent":
        has = (item.top or item.text).replace("{v}", "?this")
        both = (
            "SELECT (COUNT(DISTINCT ?_a) AS ?u) (COUNT(DISTINCT ?_b) AS ?w) WHERE { "
            f"{{ {{ {target} }} BIND(?this AS ?_a) }} UNION "
            f"{{ {has} BIND(?this AS ?_a) BIND(?this AS ?_b) }} }}"
        )
        return (((both, "u"), (both, "w")),)
    if item.kind == "class-count" and (item.walk is None or simple):
        nodes = f"{{ {target} }}" if item.walk is None else f"{{ ?_s <{path}> ?this }}"
        each = " UNION ".join(
            f"{{ SELECT DISTINCT ?x WHERE {{ ?x {TYPE_PATH} {c} }} }}" for c in item.classes
        )
        apart = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?x) AS ?d) WHERE {{ {each} }}"
        any_of = " UNION ".join(f"{{ ?this {TYPE_PATH} {c} }}" for c in item.classes)
        cover = f"SELECT (COUNT(DISTINCT ?this) AS ?u) WHERE {{ {nodes} UNION {any_of} }}"
        return ((apart, "n"), (apart, "d")), ((cover, "u"), (apart, "d"))
    if not simple:
        return ()
    if item.comp == "MaxCountConstraintComponent" and item.count >= 1:
        return (((per_predicate, "n"), (per_predicate, "d")),)
    if item.kind == "not-in-classes" and item.walk is not None:
        instances = " UNION ".join(f"{{ ?x {TYPE_PATH} {c} }}" for c in item.classes)
        inst = f"SELECT (COUNT(DISTINCT ?x) AS ?u) WHERE {{ {instances} }}"
        both = f"SELECT (COUNT(DISTINCT ?x) AS ?u) WHERE {{ {instances} UNION {{ ?_s {p} ?x }} }}"
        return (((both, "u"), (inst, "u")),)
    return ()


def _datatype_ok(dt: Node) -> str:
    d = str(dt)
    base = f"isLiteral({{v}}) && datatype({{v}}) = <{d}>"
    if d in _CASTABLE:
        return f"{base} && COALESCE(isLiteral(<{d}>(STR({{v}}))), false)"
    if d in _INT_RANGES:
        n = f"<{XSD}integer>(STR({{v}}))"
        return f"{base} && COALESCE({n} {_INT_RANGES[d]}, false)"
    if d in _ANY_FORM or not d.startswith(XSD):
        return base
    raise Unsupported(f"sh:datatype {d}")


def compile_shapes(shapes: Graph) -> list[Check]:
    """All checks of `shapes`, or `Unsupported` when any shape is outside the subset."""
    return Compiler(shapes).checks


Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Source(Protocol):
    """Where checks run: a pyoxigraph store here (`StoreSource`) or any SPARQL store."""

    def exists(self, pattern: str) -> bool:
        """Whether the graph pattern has a solution."""
        ...

    def select(self, query: str) -> tuple[set[str], Iterable[Any]]:
        """The query's variables and its rows (each `row[name]`: a term or None), read in
        the calling thread."""
        ...


class StoreSource:
    """A pyoxigraph store's default graph, queried in this process on its own indexes."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def exists(self, pattern: str) -> bool:
        return bool(self.store.query(f"ASK {{ {pattern} }}"))

    def select(self, query: str) -> tuple[set[str], Iterable[Any]]:
        solutions = self.store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        return {v.value for v in solutions.variables}, solutions


def run_checks(
    store: ox.Store | Source, checks: list[Check], workers: int | None = None
) -> list[Violation]:
    """Every violation of every check over the store's default graph.

    Spread over `workers` threads (default: one per core; pyoxigraph releases the GIL while it
    evaluates). First the patterns of `needs`; then, side by side, the counts of the proofs
    and the checks that have no proof; last the checks whose counts proved nothing. Each
    query runs once per run (checks sharing one query share its rows).
    """
    source = StoreSource(store) if isinstance(store, ox.Store) else store
    with ThreadPoolExecutor(max_workers=workers or _default_workers()) as pool:
        patterns = sorted({pattern for check in checks for pattern in check.needs})
        known = dict(zip(patterns, pool.map(source.exists, patterns), strict=True))
        live = [c for c in checks if all(known[pattern] for pattern in c.needs)]
        counted = {q: pool.submit(_count, source, q) for q in proof_queries(live)}
        found = [
            pool.submit(_violations, source, group)
            for group in _by_query(c for c in live if not c.proof)
        ]
        counts = {q: future.result() for q, future in counted.items()}
        found += [
            pool.submit(_violations, source, group)
            for group in _by_query(c for c in live if c.proof and not _proved(c, counts))
        ]
        return [v for future in found for v in future.result()]


def _by_query(checks: Iterable[Check]) -> list[list[Check]]:
    """Checks grouped by their query text (a shared scan serves several)."""
    groups: dict[str, list[Check]] = {}
    for check in checks:
        groups.setdefault(check.query, []).append(check)
    return list(groups.values())


def _default_workers() -> int:
    """One thread per core, or one thread when the cores are already busy (1-minute load at
    least the core count): there a second thread only contends, measured ~10% slower at a
    load of 5–8 on 2 cores, while on idle cores the queries of a run spread over them."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] >= cores
    except OSError:  # no load average on this platform
        busy = False
    return 1 if busy else max(1, min(_MAX_WORKERS, cores))


def proof_queries(checks: list[Check]) -> list[str]:
    """The count queries the proofs of `checks` ask, each once."""
    return sorted({q for c in checks for pair in c.proof for q, _ in pair})


def _proved(check: Check, counts: dict[str, dict[str, int]]) -> bool:
    return bool(check.proof) and all(
        counts[qa][va] == counts[qb][vb] for (qa, va), (qb, vb) in check.proof
    )


def _violations(source: Source, checks: list[Check]) -> list[Violation]:
    """The rows of the checks' one query as violations (run and read in one thread:
    pyoxigraph's solutions may not cross threads)."""
    out: list[Violation] = []
    names, rows = source.select(checks[0].query)
    for row in rows:
        focus = row["this"]
        if focus is None or isinstance(focus, ox.Triple):
            continue
        for check in checks:
            if check.flag is not None and not _true(row[check.flag]):
                continue
            sparql = check.component == "SPARQLConstraintComponent"
            value = row["value"] if check.has_value and "value" in names else None
            if sparql and value is None and check.path is None:
                value = focus  # a node shape's SPARQL result without ?value reports the focus
            message = None
            if sparql and check.message is not None:
                message = _fill(str(check.message), row, names)
            out.append(Violation(check, focus, value, message))
    return out


def _true(term: Any) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


def _count(source: Source, query: str) -> dict[str, int]:
    """The integer answers of a one-row aggregate query."""
    names, rows = source.select(query)
    row = next(iter(rows))
    return {name: int(row[name].value) for name in names}


def _fill(template: str, row: Any, names: set[str]) -> str:
    """A SPARQL constraint's message with {?var} / {$var} replaced by the row's values."""

    def sub(match: re.Match[str]) -> str:
        name = "this" if match.group(1) == "this" else match.group(1)
        term = row[name] if name in names else None
        return match.group(0) if term is None else str(getattr(term, "value", term))

    return re.sub(r"\{[?$](\w+)\}", sub, template)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as rdflib's, lexical form kept (rdflib would not re-normalise it)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == f"{XSD}string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
