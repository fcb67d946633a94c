"""Bodies, connections, logs and small holes (issue #14, items 3, 7 and 8).

- every body is bounded while it streams: a chunked /sparql body past its limit is refused
  with 413 without the server buffering it;
- a body not complete in time is answered with 408; a connection that sends no complete
  request headers is closed, and request headers past their bound are refused (400);
- a client that drops its upload mid-body costs one log line, no traceback;
- a secret in the query string never reaches the access log;
- HEAD works wherever GET does; /docs has a CSP that lets its own page run;
- a `javascript:` IRI in ingested data is shown as text, never as a link.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from devtools.rel_support import TOKEN, app_process, copy_store
from tests.reliability.conftest import Child, Live, child_env

SECRET = "qs-secret-3f9a1c"


@pytest.fixture(scope="module")
def timed(
    corpus_template: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Child]:
    """A server with short body and header deadlines, logging to a file we read."""
    tmp = tmp_path_factory.mktemp("timed")
    store_dir = copy_store(corpus_template[0], tmp / "store")
    env = {
        **child_env(store_dir),
        "CCMKG_BODY_TIMEOUT_S": "1",
        "CCMKG_HEADER_TIMEOUT_S": "1",
        "CCMKG_KEEP_ALIVE_TIMEOUT_S": "1",
    }
    with app_process(env, tmp / "server.log") as app:
        yield Child(app, store_dir, corpus_template[1])


def _connect(child: Child) -> socket.socket:
    host, port = child.base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes (bounded by the socket timeout)."""
    out = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return out
        out += chunk


def _rss_kb(child: Child) -> int:
    status = Path(f"/proc/{child.app.proc.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))


def test_a_chunked_sparql_body_past_the_limit_is_413_while_streaming(timed: Child) -> None:
    before = _rss_kb(timed)

    def chunks() -> Iterator[bytes]:
        for _ in range(20 * 1024):  # 20 MB, no Content-Length
            yield b"q" * 1024

    try:
        r = httpx.post(
            f"{timed.base}/sparql", content=chunks(), timeout=60,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert r.status_code == 413, r.text[:300]
        assert "CCMKG_MAX_QUERY_BYTES" in r.json()["message"]
    except httpx.TransportError:
        pass  # the server may close the connection on the rest of the body: also a refusal
    assert _rss_kb(timed) - before < 50 * 1024, "the server buffered the body"
    timed.assert_serving()


def test_a_declared_oversized_body_is_413_before_reading(timed: Child) -> None:
    sock = _connect(timed)
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 500000000\r\n\r\n"
    )
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_body_not_sent_in_time_is_408(timed: Child) -> None:
    sock = _connect(timed)
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 1000\r\n\r\nASK {"
    )
    answer = _read_all(sock)  # the server answers, then closes
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"CCMKG_BODY_TIMEOUT_S" in answer
    timed.assert_serving()


@pytest.mark.parametrize("sent", [b"", b"GET /health HTTP/1.1\r\nHost: x\r\n"])
def test_idle_and_half_sent_connections_are_closed(timed: Child, sent: bytes) -> None:
    sock = _connect(timed)
    sock.sendall(sent)
    assert _read_all(sock) == b""  # closed by the server, well before the socket timeout
    sock.close()
    timed.assert_serving()


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"f" * 70_000 + b"\r\n\r\n",
        b"GET /health?x=" + b"q" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Many: header\r\n" * 6_000 + b"\r\n",
    ],
)
def test_request_headers_past_their_bound_are_refused(timed: Child, request_head: bytes) -> None:
    """The request line and headers are bounded to 64 KB (a longer query is POSTed)."""
    sock = _connect(timed)
    sock.sendall(request_head)
    answer = _read_all(sock)  # the server answers, then closes
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    timed.assert_serving()


def test_a_get_of_a_20_kb_query_is_read(timed: Child) -> None:
    query = "ASK { ?s ?p ?o }" + " " * 20_000  # a 60 KB URL: every space is %20
    sock = _connect(timed)
    sock.sendall(
        f"GET /sparql?{urlencode({'query': query}, quote_via=quote)} HTTP/1.1\r\n"
        "Host: x\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n\r\n"
        .encode()
    )  # fmt: skip
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]


def test_pipelined_requests_are_answered_in_order(timed: Child) -> None:
    sock = _connect(timed)
    sock.sendall(
        b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nContent-Length: 6\r\n"
        b"Connection: close\r\n\r\nASK {}"
    )
    answer = _read_all(sock)
    sock.close()
    assert answer.count(b"HTTP/1.1 200") == 2, answer[:500]
    assert answer.rstrip().endswith(b"true}"), answer[-200:]


def test_an_idle_keep_alive_connection_is_closed(timed: Child) -> None:
    sock = _connect(timed)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_a_dropped_upload_is_one_log_line(timed: Child) -> None:
    log_before = timed.app.log()
    drops = 20
    for _ in range(drops):
        sock = _connect(timed)
        sock.sendall(
            b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
            b"Content-Length: 100000\r\n\r\n" + b"# a comment\n" * 100
        )
        sock.close()
    timed.assert_serving()
    new = timed.app.log()[len(log_before) :]
    assert "Traceback" not in new, new[-3000:]
    lines = [line for line in new.splitlines() if "/validate" in line]
    assert len(lines) <= 2 * drops, lines[:10]


def test_a_token_in_the_query_string_is_redacted_from_the_access_log(timed: Child) -> None:
    r = httpx.post(
        f"{timed.base}/ingest", params={"token": SECRET, "access_token": SECRET, "note": "n"},
        content=b"<https://example.org/a> <https://example.org/p> 1 .",
        headers={"Content-Type": "application/n-triples"}, timeout=30,
    )  # fmt: skip
    assert r.status_code == 401
    httpx.get(f"{timed.base}/health", params={"api_key": SECRET}, timeout=30)
    log = timed.app.log()
    assert "/ingest?" in log and "REDACTED" in log, "nothing logged: this proves nothing"
    assert SECRET not in log


# --- HEAD, /docs, links --------------------------------------------------------------------


def test_head_is_answered_wherever_get_is(live: Live) -> None:
    spec = httpx.get(f"{live.base}/openapi.json", timeout=30).json()
    paths = [p for p, ops in spec["paths"].items() if "get" in ops and "{" not in p]
    paths += ["/", "/docs", "/actors/NLD", "/meetings/msp-1"]
    for path in paths:
        get = httpx.get(f"{live.base}{path}", params={"query": "ASK {}"}, timeout=60)
        head = httpx.head(f"{live.base}{path}", params={"query": "ASK {}"}, timeout=60)
        assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path


def test_the_docs_page_is_allowed_to_run_its_own_script(live: Live) -> None:
    import base64
    import hashlib

    for path in ("/docs", "/redoc"):
        r = httpx.get(f"{live.base}{path}", timeout=30)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        # Its assets come from this origin only (npm-installed, api/vendor.py): no CDN.
        assert "https:" not in csp and "frame-ancestors 'none'" in csp
        for script in re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp, path
        assert "'unsafe-eval'" not in csp and "script-src 'unsafe-inline'" not in csp


def test_a_javascript_iri_is_never_a_link(live: Live) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    subject = "https://ccm-kg.org/id/test/js-link"
    data = (
        f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(1)> .\n"
        f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <data:text/html,x> .\n"
        f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/ok> .\n"
    )
    r = httpx.post(
        f"{live.base}/ingest", content=data.encode(), timeout=60,
        headers={**auth, "Content-Type": "application/n-triples"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    try:
        page = httpx.get(f"{live.base}/id/test/js-link", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "javascript:alert(1)" in page.text  # shown…
        assert not re.search(r"href=['\"]\s*(javascript|data):", page.text, re.I)  # …not linked
        assert "href='https://example.org/ok'" in page.text
    finally:
        httpx.delete(f"{live.base}{r.headers['Location']}", headers=auth, timeout=60)
