"""Broken, oversized and wrongly typed bodies on /validate and /ingest: only 4xx, store unchanged.

The server runs in its own process (the `child` fixture): an input that crashed the parser
would kill that process, and the test would see it, instead of taking the test run down.
The fixture checks at the end that the store holds exactly the graphs it started with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devtools.rel_support import TOKEN, OutboundSentinel
from tests.reliability.conftest import MAX_UPLOAD_BYTES, Child

DATA = Path(__file__).parent / "data"
MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ENDPOINTS = ["/validate", "/ingest"]


def _files(folder: str) -> list[Path]:
    return sorted((DATA / folder).iterdir())


def _post(child: Child, path: str, body: bytes | Iterator[bytes], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return httpx.post(f"{child.base}{path}", content=body, headers={**AUTH, **headers}, timeout=60)


def _assert_refused(response: httpx.Response, child: Child, *statuses: int) -> None:
    """A 4xx (one of `statuses` if given) with a stable code and a message; still serving."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:500])
    body = response.json()
    assert body.get("code") and body.get("message"), body
    child.assert_serving()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("path", _files("broken"), ids=lambda p: p.name)
def test_broken_rdf_is_refused_with_4xx(
    child: Child, sentinel: OutboundSentinel, endpoint: str, path: Path
) -> None:
    body = path.read_bytes().replace(b"{SENTINEL}", sentinel.url.encode())
    response = _post(child, endpoint, body, {"Content-Type": MEDIA[path.suffix]})
    _assert_refused(response, child, 400)
    assert sentinel.connections() == 0, "the server fetched a remote JSON-LD context"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_oversized_body_is_refused_by_its_content_length(child: Child, endpoint: str) -> None:
    body = b"# " + b"x" * MAX_UPLOAD_BYTES + b"\n"
    response = _post(child, endpoint, body, {"Content-Type": "text/turtle"})
    _assert_refused(response, child, 413)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_oversized_streamed_body_is_refused_while_reading(child: Child, endpoint: str) -> None:
    """Chunked transfer, no Content-Length: the server must count as it reads."""

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_UPLOAD_BYTES // 8192 + 4):
            yield b"#" + b"x" * 8190 + b"\n"

    response = _post(child, endpoint, chunks(), {"Content-Type": "text/turtle"})
    _assert_refused(response, child, 413)


TURTLE = b"@prefix ex: <https://example.org/> .\nex:a ex:p ex:b .\n"
WRONG_TYPES: dict[str, tuple[bytes, dict[str, str], int]] = {
    "no-content-type": (TURTLE, {}, 415),
    "json": (b'{"a": 1}', {"Content-Type": "application/json"}, 415),
    "plain-text": (TURTLE, {"Content-Type": "text/plain"}, 415),
    "form": (b"a=1&b=2", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    "multipart": (
        b"--x\r\nContent-Disposition: form-data; name=f\r\n\r\n1\r\n--x--\r\n",
        {"Content-Type": "multipart/form-data; boundary=x"},
        415,
    ),
    "rdf-xml-not-accepted": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
        {"Content-Type": "application/rdf+xml"},
        415,
    ),
    "turtle-declared-as-jsonld": (TURTLE, {"Content-Type": "application/ld+json"}, 400),
    "jsonld-declared-as-turtle": (
        b'{"@id": "https://example.org/a", "https://example.org/p": "x"}',
        {"Content-Type": "text/turtle"},
        400,
    ),
    "turtle-declared-as-ntriples": (TURTLE, {"Content-Type": "application/n-triples"}, 400),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_wrongly_typed_bodies_are_refused(child: Child, endpoint: str, case: str) -> None:
    body, headers, status = WRONG_TYPES[case]
    response = _post(child, endpoint, body, headers)
    _assert_refused(response, child, status)


def test_no_submission_was_recorded(child: Child) -> None:
    """Runs last in this module: nothing above reached the store."""
    assert httpx.get(f"{child.base}/ingest", timeout=30).json() == {"submissions": []}
