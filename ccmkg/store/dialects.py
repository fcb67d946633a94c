"""What differs between SPARQL servers behind RemoteStore (docs/decisions/remote-servers.md).

Most servers (Oxigraph, Fuseki, GraphDB) have a default graph of their own: our writes keep it
equal to the union of the named graphs, and a query without FROM reads it. Virtuoso has none:
without FROM a query reads every graph, its own system graphs included (quad-map metadata,
the OWL and LDP vocabularies, ~2,600 triples in a fresh database), and `INSERT DATA` without
GRAPH is refused. So on Virtuoso the union is kept in a named graph of ours, UNION_GRAPH, sent
as the `default-graph-uri` of every query that names no dataset, and the server's graphs are
left out of what the store lists, dumps and clears.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

UNION_GRAPH = "urn:ccmkg:union-default-graph"
"""Stands for the default graph on servers without one of their own (Virtuoso)."""

# The graphs a fresh Virtuoso 7 database holds (and its URIQA/DAV graphs, named after the host).
_VIRTUOSO_OWN = (
    "http://www.openlinksw.com/schemas/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localuriqaserver/",
)


@dataclass(frozen=True)
class Dialect:
    """How to speak to one server: `union_graph` is None where the default graph is real."""

    name: str
    union_graph: str | None = None
    own_graph_prefixes: tuple[str, ...] = ()
    data_bnodes: bool = True  # blank nodes allowed in INSERT DATA

    def results_json(self, body: bytes) -> bytes:
        """SPARQL JSON results as the W3C format has them.

        Virtuoso answers ASK with a one-row SELECT (`__ASK_RETVAL` = 0 or 1) and names blank
        nodes `nodeID://b10006`, which is not a blank node label.
        """
        if self.name != "virtuoso":
            return body
        data = json.loads(body)
        names = [v.lower() for v in data.get("head", {}).get("vars", [])]
        if names == ["__ask_retval"]:
            rows = data["results"]["bindings"]
            value = bool(rows) and rows[0][data["head"]["vars"][0]]["value"] not in ("0", "false")
            return json.dumps({"head": {}, "boolean": value}).encode()
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode" and term["value"].startswith("nodeID://"):
                    term["value"] = term["value"][len("nodeID://") :]
        return json.dumps(data).encode()

    def is_ours(self, graph: str) -> bool:
        """A graph written through the Store port (not the stand-in, not the server's own)."""
        return graph != self.union_graph and not graph.startswith(self.own_graph_prefixes)

    def auth(self, user: str | None, password: str | None) -> httpx.Auth | None:
        """Credentials for the update endpoint: Virtuoso's /sparql-auth wants HTTP digest."""
        if not user:
            return None
        if self.name == "virtuoso":
            return httpx.DigestAuth(user, password or "")
        return httpx.BasicAuth(user, password or "")


STANDARD = Dialect("standard")


def virtuoso(query_url: str) -> Dialect:
    origin = httpx.URL(query_url).copy_with(path="/", query=None, fragment=None)
    return Dialect("virtuoso", UNION_GRAPH, (*_VIRTUOSO_OWN, str(origin)), data_bnodes=False)


def detect(query_url: str, client: httpx.Client) -> Dialect | None:
    """Virtuoso names itself in the `Server` header; anything else is standard.

    None when the server cannot be reached: the request that follows reports it, and the
    next call asks again.
    """
    try:
        response = client.get(query_url, params={"query": "ASK {}"}, timeout=30)
    except httpx.HTTPError:
        return None
    if response.headers.get("server", "").lower().startswith("virtuoso"):
        return virtuoso(query_url)
    return STANDARD
