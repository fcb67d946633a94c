"""The named query library: queries/*.rq, each documented by its header, run with bound values.

A query file starts with a comment block that is YAML once the leading ``# `` is removed::

    # title: Coordinators of a thematic area in a year
    # description: >
    #   Who held a coordinator post ...
    # params:
    #   year: {type: year, required: true, doc: the calendar year}
    #   area: {type: area, doc: thematic area slug; absent means every area}
    # columns:
    #   area: the thematic area
    # example: {year: "2016", area: universalization}

Parameter values are converted to RDF terms and handed to `Store.select(bindings=...)`; they are
never pasted into the query text. An optional parameter that is absent stays unbound, and each
query is written so that an unbound parameter means "any" (it only appears in triple patterns).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import yaml
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from ccmkg.errors import BadParameter, InputError, NotFound
from ccmkg.model.iri import DEFAULT_BASE_IRI, IriScheme, meeting_key
from ccmkg.model.resolve import resolver
from ccmkg.model.vocab import vocabulary
from ccmkg.resources import queries_dir
from ccmkg.sparql_guard import check_services, inject_values, scan
from ccmkg.store.base import Rows, Store
from ccmkg.store.rdfterms import values_block

PARAM_TYPES = (
    *("iri", "state", "area", "date", "year", "gyear", "integer", "string"),
    *("meeting", "meeting-kind", "person"),
)
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_SLUG_RE = re.compile(r"^x-[a-z0-9-]+$")


@dataclass(frozen=True)
class Param:
    """One documented parameter of a named query."""

    name: str
    type: str
    required: bool
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its documentation (from the header) and its text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    column_docs: Mapping[str, str]
    example: Mapping[str, str]
    text: str
    path: Path
    # How parameters are bound on the embedded store: "substitution" (pyoxigraph's, the
    # default) or "values" (a VALUES block at the start of the WHERE group, as on a remote
    # store). The header's `bind:` chooses, per query, by measurement: pyoxigraph plans a
    # substituted constant without knowing it is bound, so a query whose best start is the
    # bound term can be 30x slower with substitution (api_deadlines: 42 ms vs 1.2 ms for one
    # State on the corpus), while others are slower with VALUES (docs/decisions/queries.md).
    # "marked": the VALUES block goes at each `#@values` line of the text instead, for a query
    # whose bound term must start each branch of a UNION of subqueries (a block at the start
    # would join after the subqueries ran over every area: api_area_holdings 5x slower).
    bind: str = "substitution"

    def with_values(self, block: str) -> str:
        """The text with a VALUES `block` where the query takes it: at each `#@values` mark
        (`bind: marked`), else at the start of the WHERE group."""
        if self.bind == "marked":
            return self.text.replace(VALUES_MARK, block)
        return inject_values(self.text, block)

    def as_doc(self) -> dict[str, Any]:
        """The documentation as plain data (for GET /queries and `ccmkg query --list`)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [
                {"name": p.name, "type": p.type, "required": p.required, "doc": p.doc}
                for p in self.params
            ],
            "columns": [{"name": c, "doc": self.column_docs.get(c, "")} for c in self.columns],
            "example": dict(self.example),
        }


@dataclass
class Catalogue:
    """All named queries, loaded and checked once; `run` validates, binds and executes."""

    queries: dict[str, NamedQuery]
    base_iri: str = DEFAULT_BASE_IRI

    @classmethod
    def load(cls, directory: Path | None = None, *, base_iri: str = DEFAULT_BASE_IRI) -> Catalogue:
        """Read and check every `*.rq` of `directory` (default: the bundled queries/).

        Raises:
            InputError: a query file has a malformed header or does not parse.
        """
        directory = directory or queries_dir()
        queries = {}
        for path in sorted(directory.glob("*.rq")):
            query = parse_query_file(path)
            queries[query.name] = query
        return cls(queries=queries, base_iri=base_iri)

    def names(self) -> list[str]:
        return sorted(self.queries)

    def get(self, name: str) -> NamedQuery:
        """The named query.

        Raises:
            NotFound: no query has that name.
        """
        try:
            return self.queries[name]
        except KeyError:
            raise NotFound(
                f"no named query {name!r}",
                hint=f"known queries: {', '.join(self.names())}",
            ) from None

    def bindings(self, name: str, params: Mapping[str, str]) -> dict[str, Node]:
        """Check and convert raw string values into the RDF terms the query binds.

        Raises:
            NotFound: unknown query.
            BadParameter: an unknown, missing or malformed parameter.
        """
        query = self.get(name)
        known = {p.name: p for p in query.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise BadParameter(
                f"query {name!r} has no parameter {', '.join(map(repr, unknown))}",
                hint=f"its parameters: {', '.join(known) or 'none'}",
            )
        out: dict[str, Node] = {}
        for param in query.params:
            raw = params.get(param.name)
            if raw is None or str(raw).strip() == "":
                if param.required:
                    raise BadParameter(
                        f"query {name!r} needs parameter {param.name!r} ({param.type})",
                        hint=param.doc,
                    )
                continue
            out[param.name] = self._convert(param, str(raw).strip())
        return out

    def run(
        self,
        store: Store,
        name: str,
        params: Mapping[str, str],
        max_rows: int | None = None,
        timeout_s: float | None = None,
        service_allowlist: list[str] | tuple[str, ...] = (),
    ) -> Rows:
        """Run a named query with its parameters bound at run time. A federated query (SERVICE)
        runs only if each endpoint it calls is on `service_allowlist` (the settings' list).

        Raises:
            NotFound: unknown query.
            BadParameter: a parameter is unknown, missing or malformed.
            QueryRejected: SERVICE to an endpoint not on the allow-list.
            QueryTimeout, StoreError: from the store.
        """
        check_services(scan(self.get(name).text).services, service_allowlist)
        query = self.get(name)
        bindings = self.bindings(name, params)
        text = query.text
        if query.bind in ("values", "marked") and bindings:
            text = query.with_values(values_block(bindings))
            bindings = {}
        return store.select(text, bindings=bindings, max_rows=max_rows, timeout_s=timeout_s)

    def _convert(self, param: Param, raw: str) -> Node:
        converter = _CONVERTERS[param.type]
        try:
            return converter(self, raw)
        except (ValueError, LookupError) as exc:
            raise BadParameter(
                f"parameter {param.name!r}: {exc}", hint=f"expected {param.type}: {param.doc}"
            ) from None


# ---------------------------------------------------------------------------------------------
# Parameter conversion: one function per type, in a registry dict.


def _to_iri(_: Catalogue, raw: str) -> Node:
    if not _IRI_RE.match(raw):
        raise ValueError(f"{raw!r} is not an absolute IRI")
    return URIRef(raw)


def _to_state(cat: Catalogue, raw: str) -> Node:
    """A State as a person writes it (ISO code, name, alias, or its IRI) → the State IRI."""
    scheme = IriScheme(cat.base_iri)
    key = scheme.key("state", raw)
    if key is not None:
        return scheme.mint("state", key=key)
    if _SLUG_RE.match(raw):  # an entity flagged for review keeps its x- key
        return scheme.mint("state", key=raw)
    hit = resolver().state(raw, codes=True)
    if hit is None:
        raise ValueError(f"{raw!r} is not a State the gazetteer knows (ISO code, name or alias)")
    return scheme.mint("state", key=hit[0])


def _to_area(_: Catalogue, raw: str) -> Node:
    area = vocabulary().areas.resolve(raw)
    if area is None:
        slugs = ", ".join(vocabulary().areas.slugs)
        raise ValueError(f"unknown thematic area {raw!r}; slugs: {slugs}")
    return URIRef(area.iri)


def _to_meeting(cat: Catalogue, raw: str) -> Node:
    """A meeting as /meetings/{id} takes it: its IRI, its key, or a short id (6MSP, msp-6)."""
    if _IRI_RE.match(raw) and "://" in raw:
        return URIRef(raw)
    key = meeting_key(raw)
    if not re.fullmatch(r"[A-Za-z0-9._~-]+", key):
        raise ValueError(f"{raw!r} is not a meeting id (e.g. 6MSP, msp-6, or its IRI)")
    return IriScheme(cat.base_iri).mint("meeting", key=key)


def _to_meeting_kind(_: Catalogue, raw: str) -> Node:
    """A kind of meeting as /meetings?kind= takes it: slug, label (MSP, RC, CC) or class IRI."""
    term = vocabulary().meeting_kinds.resolve(raw)
    if term is None:
        slugs = ", ".join(vocabulary().meeting_kinds.slugs)
        raise ValueError(f"unknown kind of meeting {raw!r}; slugs: {slugs} (or MSP, RC, CC)")
    return URIRef(term.iri)


def _to_person(cat: Catalogue, raw: str) -> Node:
    """A person as /persons/{id} takes it: the IRI or the name key (last segment)."""
    if _IRI_RE.match(raw) and "://" in raw:
        return URIRef(raw)
    if not re.fullmatch(r"[A-Za-z0-9._~-]+", raw):
        raise ValueError(f"{raw!r} is not a person id (a name key such as jane-doe, or the IRI)")
    return IriScheme(cat.base_iri).mint("person", key=raw)


def _to_date(_: Catalogue, raw: str) -> Node:
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    return Literal(value.isoformat(), datatype=XSD.date)


def _to_year(_: Catalogue, raw: str) -> Node:
    if not re.fullmatch(r"\d{4}", raw):
        raise ValueError(f"{raw!r} is not a year (four digits)")
    return Literal(int(raw), datatype=XSD.integer)


def _to_gyear(catalogue: Catalogue, raw: str) -> Node:
    """A year as xsd:gYear, the datatype of the ccm:activeYear index: a constant the engine
    can start its join from (a value computed inside the query makes it scan instead)."""
    _to_year(catalogue, raw)
    return Literal(raw, datatype=XSD.gYear)


def _to_integer(_: Catalogue, raw: str) -> Node:
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise ValueError(f"{raw!r} is not an integer")
    return Literal(int(raw), datatype=XSD.integer)


def _to_string(_: Catalogue, raw: str) -> Node:
    if len(raw) > 200:
        raise ValueError("longer than 200 characters")
    return Literal(raw)


_CONVERTERS: dict[str, Callable[[Catalogue, str], Node]] = {
    "iri": _to_iri,
    "state": _to_state,
    "area": _to_area,
    "date": _to_date,
    "year": _to_year,
    "gyear": _to_gyear,
    "integer": _to_integer,
    "string": _to_string,
    "meeting": _to_meeting,
    "meeting-kind": _to_meeting_kind,
    "person": _to_person,
}


# ---------------------------------------------------------------------------------------------
# Query files


BIND_MODES = frozenset({"substitution", "values", "marked"})
# Where `bind: marked` puts the VALUES block: a comment line of its own, so that the text is a
# valid query as written (and binds by substitution where it is run as is).
VALUES_MARK = "#@values"
_EMPTY_STORE = pyoxigraph.Store()


def _projection(text: str, where: str) -> tuple[str, ...]:
    """The SELECT's projected variables, in order, read by the engine that runs the query.

    Preparing a query on an empty pyoxigraph store parses it in well under a millisecond and
    evaluates nothing until its rows are read (none are); rdflib's parser took ~0.1 s a file,
    over a second for the catalogue at every CLI call and server start.
    """
    try:
        answer = _EMPTY_STORE.query(text)
    except SyntaxError as exc:
        raise InputError(f"{where}: the query does not parse: {exc}") from None
    if not isinstance(answer, pyoxigraph.QuerySolutions):
        raise InputError(f"{where}: a named query must be a SELECT")
    return tuple(v.value for v in answer.variables)


def parse_query_file(path: Path) -> NamedQuery:
    """Parse one `.rq`: its YAML header, and check the query parses and projects its params.

    Raises:
        InputError: malformed header, unknown parameter type, or a query that does not parse.
    """
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header_lines.append(line[2:] if line.startswith("# ") else line[1:])
    where = f"{path.name}"
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{where}: header is not YAML: {exc}") from None
    if not isinstance(header, dict) or "title" not in header:
        raise InputError(f"{where}: the header needs at least a title")
    params = []
    for pname, spec in (header.get("params") or {}).items():
        spec = spec or {}
        ptype = spec.get("type")
        if ptype not in PARAM_TYPES:
            raise InputError(f"{where}: parameter {pname!r} has unknown type {ptype!r}")
        params.append(
            Param(str(pname), ptype, bool(spec.get("required", False)), spec.get("doc", ""))
        )
    projected = _projection(text, where)
    bind = str(header.get("bind", "substitution"))
    if bind not in BIND_MODES:
        raise InputError(f"{where}: bind must be one of {sorted(BIND_MODES)}, not {bind!r}")
    if bind == "marked" and VALUES_MARK not in text:
        raise InputError(f"{where}: bind: marked needs a {VALUES_MARK!r} line where VALUES go")
    column_docs = {str(k): str(v) for k, v in (header.get("columns") or {}).items()}
    if tuple(column_docs) != projected:
        raise InputError(
            f"{where}: header columns {list(column_docs)} differ from the projection "
            f"{list(projected)}"
        )
    missing = [p.name for p in params if p.name not in projected]
    if missing:
        # Bound variables must be projected: pyoxigraph substitutions require it.
        raise InputError(f"{where}: parameters {missing} are not in the SELECT projection")
    return NamedQuery(
        name=path.stem,
        title=str(header["title"]).strip(),
        description=str(header.get("description", "")).strip(),
        params=tuple(params),
        columns=projected,
        column_docs=column_docs,
        example={str(k): str(v) for k, v in (header.get("example") or {}).items()},
        text=text,
        path=path,
        bind=bind,
    )


# ---------------------------------------------------------------------------------------------
# Results as plain data (JSON) and CSV, shared by the CLI and the API.


def term_value(term: Node | None) -> Any:
    """A JSON-ready value: IRIs as strings, numbers and booleans as such, dates as ISO text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float) and not isinstance(value, Literal):
            return value
        if isinstance(value, dt.date | dt.datetime | dt.time):
            return value.isoformat()
        return str(term)
    return str(term)


def to_records(rows: Rows) -> list[dict[str, Any]]:
    """One dict per row, every projected column present (None when unbound)."""
    return [{v: term_value(row.get(v)) for v in rows.variables} for row in rows.rows]


def to_csv(rows: Rows) -> str:
    """CSV with a header row; unbound cells are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rows.variables)
    for record in to_records(rows):
        writer.writerow(["" if record[v] is None else record[v] for v in rows.variables])
    return buffer.getvalue()
