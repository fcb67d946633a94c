"""RemoteStore: any SPARQL 1.1 server (Oxigraph, Fuseki, Virtuoso, GraphDB) behind the Store port.

Queries go through SPARQLWrapper; values are bound with a VALUES block at the start of the
outermost WHERE group (remote servers have no substitution API). Writes are one SPARQL Update
request (DROP SILENT GRAPH + INSERT DATA), atomic on servers that run a request as one
transaction. The time limit is the server's own (e.g. `oxigraph serve --timeout-s`) plus a
client-side socket timeout as a backstop. The writes keep the server's default graph equal to
the de-duplicated union of its named graphs (see `replace_update`), so no server setting is needed.
Where servers differ (Virtuoso: no default graph of its own, system graphs, digest auth on
updates, partial answers at its time limit) `dialects.py` says how; see
docs/decisions/remote-servers.md.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node
from SPARQLWrapper import SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException

from ccmkg.errors import BadParameter, QueryRejected, QueryTimeout, StoreError
from ccmkg.settings import Settings
from ccmkg.sparql_guard import inject_values, scan
from ccmkg.store.base import ProtocolResult, Rows
from ccmkg.store.dialects import STANDARD, Dialect, detect
from ccmkg.store.rdfterms import (
    graph_from_triples,
    insert_update,
    replace_update,
    to_rdflib,
    values_block,
)
from ccmkg.store.results import cap, solution_rows, write_boolean, write_solutions, write_triples

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
WRITE_TIMEOUT_S = 300.0


def bind(query: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with the bindings as a VALUES block (unchanged when there are none)."""
    return inject_values(query, values_block(bindings)) if bindings else query


def default_update_url(query_url: str) -> str:
    """Oxigraph and Fuseki name their endpoints …/query and …/update; others share one URL."""
    head, _, last = query_url.rstrip("/").rpartition("/")
    return f"{head}/update" if last in ("query", "sparql") and "://" in head else query_url


class RemoteStore:
    """A SPARQL 1.1 server reached over HTTP; the server holds the data and runs the queries."""

    kind = "remote"

    def __init__(self, settings: Settings) -> None:
        self.query_url = settings.store
        self.update_url = settings.store_update_url or default_update_url(settings.store)
        self.timeout_s = settings.query_timeout_s
        self._http = httpx.Client(timeout=WRITE_TIMEOUT_S)
        self._user = settings.store_user
        self._password = (
            settings.store_password.get_secret_value() if settings.store_password else None
        )
        self._dialect: Dialect | None = None

    @property
    def dialect(self) -> Dialect:
        """The server's dialect, asked once (a `Server` header) before the first request."""
        if self._dialect is None:
            found = detect(self.query_url, self._http)
            if found is None:
                return STANDARD
            self._dialect = found
        return self._dialect

    # Transport -------------------------------------------------------------------------

    def _fetch(
        self,
        query: str,
        accept: str,
        *,
        default_graph_uris: Iterable[str] = (),
        named_graph_uris: Iterable[str] = (),
        timeout_s: float | None = None,
    ) -> tuple[str, bytes]:
        """POST the query; returns (media type, body).

        Raises:
            QueryRejected: the server refused the query (400).
            QueryTimeout: no answer within the time limit.
            StoreError: the server is unreachable or failed.
        """
        sw = SPARQLWrapper(self.query_url)
        sw.setMethod("POST")
        sw.setOnlyConneg(True)
        sw.setQuery(query)
        # SPARQLWrapper guesses the form from keywords anywhere in the text, comments included
        # ("loaded" reads as LOAD, "Clearance" as CLEAR) and would then send an update; the
        # guard's tokenizer knows the form.
        info = scan(query)
        sw.queryType = info.form
        sw.addCustomHttpHeader("Accept", accept)
        default_graph_uris = list(default_graph_uris)
        named_graph_uris = list(named_graph_uris)
        union = self.dialect.union_graph
        if union and not (default_graph_uris or named_graph_uris or info.has_dataset_clause):
            default_graph_uris = [union]  # the server has no default graph of its own
        for uri in default_graph_uris:
            sw.addParameter("default-graph-uri", uri)
        for uri in named_graph_uris:
            sw.addParameter("named-graph-uri", uri)
        limit = timeout_s if timeout_s is not None else self.timeout_s
        # SPARQLWrapper's setTimeout truncates to whole seconds (0.5 → no limit at all), so the
        # attribute is set directly: the socket timeout is the client-side backstop.
        sw.timeout = limit  # type: ignore[assignment]
        try:
            response = sw.query().response
            body = response.read()
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            # Virtuoso answers 200 with what it found so far when its time limit strikes
            # ("anytime" queries), saying so only in a header: that is not an answer.
            if response.headers.get("X-SQL-State") == "S1TAT":
                raise _timeout(limit)
        except QueryBadFormed as exc:
            raise QueryRejected(f"The SPARQL server refused the query: {_message(exc)}") from exc
        except EndPointNotFound as exc:
            raise StoreError(
                f"No SPARQL endpoint at {self.query_url} (404).",
                hint="Check CCMKG_STORE: it must be the server's query URL.",
            ) from exc
        except SPARQLWrapperException as exc:
            text = _message(exc)
            if "timeout" in text.lower() or "timed out" in text.lower():
                raise _timeout(limit) from exc
            raise StoreError(f"The SPARQL server failed: {text}") from exc
        except TimeoutError as exc:
            raise _timeout(limit) from exc
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            if exc.code in (503, 504) or "timeout" in text.lower():
                raise _timeout(limit) from exc
            raise StoreError(f"The SPARQL server answered {exc.code}: {text[:500]}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise _timeout(limit) from exc
            raise StoreError(
                f"Cannot reach the SPARQL server at {self.query_url}: {reason}",
                hint="Is the server running, and is CCMKG_STORE its query URL?",
            ) from exc
        return media_type, body

    def _query(self, query: str, accept: str, **kw: Any) -> Any:
        """Fetch and parse into pyoxigraph objects (solutions, boolean or triples)."""
        media_type, body = self._fetch(query, accept, **kw)
        if media_type in (_RESULTS_JSON, "application/json"):
            body = self.dialect.results_json(body)
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if media_type in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if fmt is None:
            raise StoreError(f"The SPARQL server answered in an unexpected format: {media_type!r}")
        return [q.triple for q in ox.parse(body, format=fmt)]

    # Queries ---------------------------------------------------------------------------

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> Rows:
        """SELECT with a VALUES block for the bindings; the server enforces its own timeout."""
        result = self._query(bind(query, bindings), _RESULTS_JSON, timeout_s=timeout_s)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryRejected("Expected a SELECT query.")
        variables, rows = solution_rows(result)
        taken, truncated = cap(rows, max_rows)
        return Rows(
            variables=variables,
            rows=[{v: to_rdflib(t) for v, t in zip(variables, r, strict=True)} for r in taken],
            truncated=truncated,
        )

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self._query(bind(query, bindings), _RESULTS_JSON)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryRejected("Expected an ASK query.")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self._query(bind(query, bindings), _NTRIPLES)
        if not isinstance(result, list):
            raise QueryRejected("Expected a CONSTRUCT or DESCRIBE query.")
        return graph_from_triples(result)

    def protocol_query(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> ProtocolResult:
        """Fetch in a canonical format, cap the rows, write the negotiated format."""
        info = scan(query)
        accept = _NTRIPLES if info.form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_JSON
        if not (default_graph_uris or named_graph_uris) and info.has_dataset_clause:
            # Some servers ignore FROM in some modes; the protocol parameters say the same
            # thing and are honoured everywhere.
            default_graph_uris = list(info.from_graphs)
            named_graph_uris = list(info.from_named_graphs)
        result = self._query(
            query,
            accept,
            default_graph_uris=default_graph_uris or (),
            named_graph_uris=named_graph_uris or (),
            timeout_s=timeout_s,
        )
        if isinstance(result, ox.QueryBoolean):
            body, truncated = write_boolean(bool(result), media_type), False
        elif isinstance(result, ox.QuerySolutions):
            body, truncated = write_solutions(*solution_rows(result), media_type, max_rows)
        else:
            body, truncated = write_triples(result, media_type, max_rows)
        return ProtocolResult(body=body, media_type=media_type, truncated=truncated)

    # Writes ----------------------------------------------------------------------------

    def _update(self, update: str) -> None:
        try:
            response = self._http.post(
                self.update_url,
                content=update.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
                auth=self.dialect.auth(self._user, self._password) or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            raise StoreError(
                f"Cannot reach the SPARQL update endpoint at {self.update_url}: {exc}",
                hint="Is the server running, and is CCMKG_STORE_UPDATE_URL its update URL?",
            ) from exc
        if response.status_code >= 300:
            raise StoreError(
                f"The SPARQL server refused the update ({response.status_code}): "
                f"{response.text[:500]}",
                hint="Nothing was written if the server runs each request as one transaction.",
            )

    def replace_graphs(self, graphs: Mapping[str, Graph], *, delete: Iterable[str] = ()) -> None:
        """One update request: DROP SILENT GRAPH for each graph, then INSERT DATA.

        Raises:
            StoreError: the server refused or is unreachable (nothing written on servers that
                apply a request atomically).
        """
        dialect = self.dialect
        update = replace_update(
            graphs, delete, union_graph=dialect.union_graph, data_bnodes=dialect.data_bnodes
        )
        if update:
            self._update(update)

    def add_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """One INSERT DATA request (atomic on servers that run a request as one transaction).

        Raises:
            BadParameter: a graph is already on the server; nothing was written.
            StoreError: the server refused or is unreachable.
        """
        held = set(self.graphs())
        if already := sorted(g for g in graphs if g in held):
            raise BadParameter(f"graphs already in the store: {', '.join(already[:3])}")
        dialect = self.dialect
        if dialect.union_graph is not None or not dialect.data_bnodes:
            # A server with a stand-in default graph (Virtuoso) needs the replace path's
            # copy-into-the-union and its blank-node handling; nothing is dropped (new graphs).
            self.replace_graphs({name: graph_from_triples(ts) for name, ts in graphs.items()})
            return
        update = insert_update(graphs)
        if update:
            self._update(update)

    def delete_graph(self, graph: str) -> None:
        self.replace_graphs({}, delete=[graph])

    def clear(self) -> None:
        """Remove every graph (used by tests and `ccmkg load --replace`); on a server with
        graphs of its own (Virtuoso), every graph but those."""
        if self.dialect.union_graph is None:
            self._update("CLEAR ALL")
            return
        names = [*self.graphs(), self.dialect.union_graph]
        self._update(" ;\n".join(f"DROP SILENT GRAPH <{ox.NamedNode(g).value}>" for g in names))

    # Inspection ------------------------------------------------------------------------

    def graphs(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = {str(r["g"]): int(r["n"]) for r in rows.rows}  # type: ignore[call-overload]
        return {g: n for g, n in counts.items() if self.dialect.is_ours(g)}

    def triple_count(self) -> int:
        return sum(self.graphs().values())

    def graph_triples(self, graph: str) -> Graph:
        name = ox.NamedNode(graph).value if graph else graph
        if self.dialect.union_graph is None:
            where = f"GRAPH <{name}> {{ ?s ?p ?o }}"
        else:  # Virtuoso finds nothing in GRAPH <name> once a default graph is named
            where = f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g = <{name}>)"
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")

    def dump_nquads(self) -> bytes:
        result = self._query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", _RESULTS_JSON)
        ours = self.dialect.is_ours
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in result if ours(r["g"].value)]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    def close(self) -> None:
        self._http.close()


def _message(exc: Exception) -> str:
    text = str(exc)
    return text.split("Response:\n", 1)[-1].strip()[:500]


def _timeout(limit: float) -> QueryTimeout:
    return QueryTimeout(
        f"The SPARQL server did not answer within the time limit of {limit:g} s.",
        hint="Narrow the query (more specific patterns, LIMIT) or use a named query.",
    )
