"""Security: read-only by default, token-gated writes, CORS for reads only, headers, clean logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ccmkg.settings import Settings
from ccmkg.store import open_store
from devtools.rel_support import (
    TOKEN,
    app_process,
    build_app,
    copy_store,
    serve_in_thread,
)
from tests.reliability.conftest import Live, child_env

DATA = b'<https://example.org/sec/a> <https://example.org/sec/p> "x" .\n'
NT = {"Content-Type": "application/n-triples"}
WRITES = [("POST", "/ingest"), ("DELETE", "/ingest/0123456789abcdef0123456789abcdef")]


@pytest.fixture(scope="module")
def default_server(
    corpus_template: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app with default settings (no token configured), over a corpus copy."""
    store_dir = copy_store(corpus_template[0], tmp_path_factory.mktemp("default") / "store")
    settings = Settings(store=str(store_dir))
    store = open_store(settings)
    try:
        with serve_in_thread(build_app(settings, store)) as base:
            yield base
        assert store.graphs() == corpus_template[1], "a refused write changed the store"
    finally:
        store.close()


def test_only_ingest_and_validate_accept_anything_but_get(live: Live) -> None:
    """The write surface is exactly POST/DELETE /ingest; /validate reads the body only."""
    spec = httpx.get(f"{live.base}/openapi.json").json()
    non_get = {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if method.lower() not in ("get", "head", "options", "parameters")
    }
    sparql = {op for op in non_get if op[1] == "/sparql"}
    assert non_get - sparql <= {
        ("POST", "/ingest"), ("DELETE", "/ingest/{submission_id}"), ("POST", "/validate")
    }  # fmt: skip
    assert sparql <= {("POST", "/sparql")}  # PUT/DELETE/PATCH are not documented: refused
    for method in ("PUT", "DELETE", "PATCH"):
        r = httpx.request(method, f"{live.base}/sparql", content=b"DROP ALL")
        assert r.status_code == 405, (method, r.status_code)
        assert r.json()["code"] == "method-not-allowed"
        assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_are_disabled_without_a_configured_token(
    default_server: str, method: str, path: str
) -> None:
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": f"Bearer {TOKEN}"}):
        r = httpx.request(
            method, f"{default_server}{path}", content=DATA, headers={**NT, **headers}
        )
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "forbidden"
        assert "CCMKG_INGEST_TOKEN" in r.json()["hint"]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "auth",
    [
        None,
        "",
        "Bearer",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN.upper()}",
        f"Basic {TOKEN}",
        f"Token {TOKEN}",
        f"{TOKEN}",
    ],
    ids=lambda a: "none" if a is None else (a.split(" ")[0] if " " in a else "bare"),
)
def test_writes_need_the_exact_bearer_token(
    live: Live, method: str, path: str, auth: str | None
) -> None:
    before = live.store.graphs()
    headers = dict(NT) if auth is None else {**NT, "Authorization": auth}
    r = httpx.request(method, f"{live.base}{path}", content=DATA, headers=headers)
    assert r.status_code == 401, r.text
    assert r.json()["code"] == "unauthorized"
    assert live.store.graphs() == before


def test_the_token_in_the_query_string_is_not_a_token(live: Live) -> None:
    r = httpx.post(
        f"{live.base}/ingest", params={"token": TOKEN, "access_token": TOKEN}, content=DATA,
        headers=NT,
    )  # fmt: skip
    assert r.status_code == 401


def test_the_token_is_checked_before_the_body_is_read(live: Live) -> None:
    """An unauthenticated client cannot make the server read (or parse) a large body."""
    huge = b"#" * (live.settings.max_upload_bytes * 2)
    r = httpx.post(f"{live.base}/ingest", content=huge, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 401


def test_with_the_token_a_write_and_its_deletion_go_through(live: Live) -> None:
    before = live.store.graphs()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(f"{live.base}/ingest", content=DATA, headers={**NT, **auth})
    assert r.status_code == 201, r.text
    assert len(live.store.graphs()) == len(before) + 2  # the data and its provenance record
    r = httpx.delete(f"{live.base}{r.headers['Location']}", headers=auth)
    assert r.status_code == 204
    assert live.store.graphs() == before


# --- CORS ---------------------------------------------------------------------------------


def test_cors_default_any_origin_may_read(live: Live) -> None:
    r = httpx.get(f"{live.base}/coordinators", headers={"Origin": "https://elsewhere.example"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


@pytest.mark.parametrize(("method", "path"), [*WRITES, ("POST", "/validate")])
def test_cors_preflight_refuses_anything_but_get(live: Live, method: str, path: str) -> None:
    r = httpx.options(
        f"{live.base}{path}",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    allowed = r.headers.get("access-control-allow-methods", "")
    assert method not in [m.strip() for m in allowed.split(",")]
    assert r.status_code == 400


def test_cors_preflight_allows_get(live: Live) -> None:
    r = httpx.options(
        f"{live.base}/coordinators",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 200
    assert "GET" in r.headers["access-control-allow-methods"]


def test_cors_origins_are_configurable(corpus_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    settings = Settings(store=str(store_dir), cors_origins=["https://ours.example"])
    store = open_store(settings)
    try:
        with serve_in_thread(build_app(settings, store)) as base:
            ours = httpx.get(f"{base}/health", headers={"Origin": "https://ours.example"})
            other = httpx.get(f"{base}/health", headers={"Origin": "https://evil.example"})
    finally:
        store.close()
    assert ours.headers["access-control-allow-origin"] == "https://ours.example"
    assert "access-control-allow-origin" not in other.headers


def test_main_app_installs_the_security_middleware(corpus_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """create_app itself (what `serve` runs) must carry CORS and the headers: one line in
    api/main.py, `install_security(app, settings)`."""
    from ccmkg.api.main import create_app

    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    settings = Settings(store=str(store_dir))
    store = open_store(settings)
    try:
        with serve_in_thread(create_app(settings, store)) as base:
            r = httpx.get(f"{base}/health", headers={"Origin": "https://elsewhere.example"})
    finally:
        store.close()
    assert r.headers.get("access-control-allow-origin") == "*"
    assert r.headers.get("x-content-type-options") == "nosniff"


# --- headers ------------------------------------------------------------------------------


def test_the_web_page_has_security_headers(live: Live) -> None:
    r = httpx.get(f"{live.base}/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_every_html_page_gets_a_csp_and_every_response_nosniff(live: Live) -> None:
    """Linked-data HTML pages and error bodies are covered by the middleware too."""
    meeting = httpx.get(f"{live.base}/meetings").json()
    first = meeting["items"][0] if isinstance(meeting, dict) else meeting[0]
    iri = first["iri"]
    page = httpx.get(iri.replace("https://ccm-kg.org", live.base), headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp  # no script may run on a linked-data page
    missing = httpx.get(f"{live.base}/no/such/thing")
    assert missing.status_code == 404
    assert missing.headers["x-content-type-options"] == "nosniff"


# --- logs ---------------------------------------------------------------------------------


@pytest.mark.slow  # a fault run: a server process of its own at DEBUG
def test_no_secret_in_the_server_log(corpus_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real server in its own process, logging at DEBUG with access logs: exercise every
    way the token travels (right, wrong, near-miss, in the query string, in an error), then
    read everything it wrote."""
    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    log = tmp_path / "server.log"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with app_process(child_env(store_dir), log, log_level="debug") as app:
        base = app.base
        bodies = [
            httpx.post(f"{base}/ingest", content=DATA, headers={**NT, **auth}),
            httpx.post(f"{base}/ingest", content=b"not rdf", headers={**NT, **auth}),
            httpx.post(f"{base}/ingest", content=DATA, headers={**NT, "Authorization": "Bearer x"}),
            httpx.post(
                f"{base}/ingest", content=DATA, headers={**NT, "Authorization": f"Basic {TOKEN}"}
            ),
            httpx.get(f"{base}/ingest", headers=auth),
            httpx.delete(f"{base}/ingest/nope", headers=auth),
            httpx.get(f"{base}/health", headers=auth),
            httpx.get(f"{base}/nothing-here", headers=auth),
        ]
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "/ingest" in text, "the log captured no request: this test would prove nothing"
    assert TOKEN not in text
    assert TOKEN[4:-4] not in text
    for r in bodies:
        assert TOKEN not in r.text
