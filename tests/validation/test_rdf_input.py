"""Safe parsing: every accepted syntax, every refusal, and lexical forms kept as written."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ccmkg.errors import InputError, PayloadTooLarge, UnsupportedMediaType
from ccmkg.rdf_input import (
    FORMATS,
    JSONLD,
    TURTLE,
    RdfSyntaxError,
    format_for_media_type,
    format_for_path,
    parse_file,
    parse_rdf,
)

EX = "https://ccm-kg.org/id/"
SAME_GRAPH = {
    "turtle": b'@prefix id: <https://ccm-kg.org/id/> .\nid:a id:p "x"@en , id:b .\n',
    "ntriples": b'<https://ccm-kg.org/id/a> <https://ccm-kg.org/id/p> "x"@en .\n'
    b"<https://ccm-kg.org/id/a> <https://ccm-kg.org/id/p> <https://ccm-kg.org/id/b> .\n",
    "nquads": b'<https://ccm-kg.org/id/a> <https://ccm-kg.org/id/p> "x"@en <https://g> .\n'
    b"<https://ccm-kg.org/id/a> <https://ccm-kg.org/id/p> <https://ccm-kg.org/id/b> .\n",
    "trig": b'@prefix id: <https://ccm-kg.org/id/> .\n<https://g> { id:a id:p "x"@en , id:b . }\n',
    "jsonld": json.dumps(
        {
            "@id": EX + "a",
            EX + "p": [{"@value": "x", "@language": "en"}, {"@id": EX + "b"}],
        }
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_gives_the_same_graph(name: str) -> None:
    expected = Graph()
    expected.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("x", lang="en")))
    expected.add((URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")))
    parsed = parse_rdf(SAME_GRAPH[name], FORMATS[name])
    assert isomorphic(parsed.graph, expected)
    assert parsed.ntriples.count("\n") == 2


def test_media_types_and_extensions_pick_the_parser() -> None:
    assert format_for_media_type("text/turtle; charset=utf-8") is TURTLE
    assert format_for_media_type("application/ld+json") is JSONLD
    assert format_for_path(Path("x.JSONLD")) is JSONLD
    assert format_for_path(Path("x.txt"), "turtle") is TURTLE
    for bad in (None, "", "application/rdf+xml", "text/plain"):
        with pytest.raises(UnsupportedMediaType):
            format_for_media_type(bad)
    with pytest.raises(UnsupportedMediaType):
        format_for_path(Path("data.rdf"))


def test_syntax_error_names_source_line_and_column() -> None:
    data = b'@prefix id: <https://ccm-kg.org/id/> .\nid:a id:p id:b .\nid:a id:p "open .\n'
    with pytest.raises(RdfSyntaxError) as err:
        parse_rdf(data, TURTLE, source="upload.ttl")
    assert (err.value.line, err.value.column) == (3, 11)
    assert err.value.message.startswith("upload.ttl: not valid RDF at line 3, column 11")
    assert err.value.as_dict()["line"] == 3
    assert err.value.status == 400


def test_relative_iris_are_refused_not_resolved_against_our_base() -> None:
    with pytest.raises(RdfSyntaxError):
        parse_rdf(b"<state/FRA> <p> <o> .", TURTLE)


def test_only_bytes_are_accepted() -> None:
    with pytest.raises(TypeError):
        parse_rdf("/etc/passwd", TURTLE)  # type: ignore[arg-type]


def test_size_limit() -> None:
    with pytest.raises(PayloadTooLarge):
        parse_rdf(SAME_GRAPH["turtle"], TURTLE, max_bytes=10)


def test_parse_deadline_stops_the_parse() -> None:
    with pytest.raises(InputError, match="longer than"):
        parse_rdf(SAME_GRAPH["ntriples"], FORMATS["ntriples"], timeout_s=0.0)


def test_lexical_forms_are_kept_as_written() -> None:
    data = b'<https://a> <https://p> "+01"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    parsed = parse_rdf(data, TURTLE)
    (obj,) = parsed.graph.objects()
    assert str(obj) == "+01"
    assert '"+01"' in parsed.ntriples


def test_triple_terms_are_refused() -> None:
    data = b"@prefix ex: <https://ex/> . ex:a ex:b <<( ex:a ex:b ex:c )>> ."
    with pytest.raises(InputError, match="triple terms"):
        parse_rdf(data, TURTLE)


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that would serve a JSON-LD context and counts every request."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = json.dumps({"@context": {"name": EX + "name"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("key", ["@context", "@import"])
def test_remote_jsonld_context_is_refused_without_a_request(
    counting_server: tuple[str, list[str]], key: str
) -> None:
    url, hits = counting_server
    ctx = url + "/ctx.jsonld"
    doc = {"@context": ctx if key == "@context" else {"@import": ctx}, "@id": EX + "a", "name": "x"}
    with pytest.raises(RdfSyntaxError, match="remote JSON-LD contexts are not fetched"):
        parse_rdf(json.dumps(doc).encode(), JSONLD)
    assert hits == []


def test_parse_file_reads_bytes_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_bytes(b"<https://a> <https://b> .\n")
    with pytest.raises(RdfSyntaxError, match=r"bad\.nt: not valid RDF at line 1"):
        parse_file(path)
    with pytest.raises(InputError, match="cannot read"):
        parse_file(tmp_path / "missing.ttl")
