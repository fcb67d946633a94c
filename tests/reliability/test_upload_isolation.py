"""Uploads that crashed or bloated the server (issue #14, items 1 and 2).

Each body goes to a server in its own process: a crash would show as a dead process. The
bodies are refused before any parser sees them (triple terms, JSON-LD term chains), and what
a scan could miss is parsed and validated in a child process of the server, bounded in
triples, memory and time: the answer is a 4xx/503 that names the limit, the server lives, the
store is unchanged, and the server's own memory does not grow with the upload.
"""

from __future__ import annotations

import ctypes
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ccmkg.store.workers import (
    IsolatedCrash,
    IsolatedMemory,
    IsolatedTimeout,
    run_isolated,
)
from devtools.rel_support import AppProcess, app_process, copy_store
from tests.reliability.conftest import Child, child_env
from tests.reliability.test_broken_inputs import ENDPOINTS, _assert_refused, _post

pytestmark = pytest.mark.slow  # fault runs: servers of their own pushed past their limits

TRIPLE_TERMS = 20_000
CONTEXT_TERMS = 30_000


def nested_triple_terms(depth: int) -> str:
    return (
        "<http://a/s> <http://a/p> "
        + "<<( <http://a/s> <http://a/p> " * depth
        + "1"
        + " )>>" * depth
        + " ."
    )


BODIES = {
    "turtle": ("text/turtle", lambda: nested_triple_terms(TRIPLE_TERMS)),
    "ntriples": ("application/n-triples", lambda: nested_triple_terms(TRIPLE_TERMS)),
    "trig": ("application/trig", lambda: "{ " + nested_triple_terms(TRIPLE_TERMS) + " }"),
}


@pytest.fixture(scope="module")
def big_child(
    corpus_template: tuple[Path, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Child]:
    """A server whose upload size limit lets the issue's 680 KB bodies through."""
    tmp = tmp_path_factory.mktemp("big")
    store_dir = copy_store(corpus_template[0], tmp / "store")
    env = {**child_env(store_dir), "CCMKG_MAX_UPLOAD_BYTES": str(2 * 1024 * 1024)}
    with app_process(env, tmp / "server.log") as app:
        yield Child(app, store_dir, corpus_template[1])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("syntax", sorted(BODIES))
def test_triple_terms_nested_20000_deep_are_refused_not_a_crash(
    big_child: Child, endpoint: str, syntax: str
) -> None:
    media, make = BODIES[syntax]
    body = make().encode()
    assert len(body) > 600_000
    r = _post(big_child, endpoint, body, {"Content-Type": media})
    _assert_refused(r, big_child, 400)
    assert "triple terms" in r.json()["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_jsonld_context_of_30000_chained_terms_is_refused_not_a_crash(
    big_child: Child, endpoint: str
) -> None:
    context = {"t0": "http://e.example/"}
    for i in range(1, CONTEXT_TERMS):
        context[f"t{i}"] = f"t{i - 1}:a"
    doc = {"@context": context, "@id": "http://e.example/x", f"t{CONTEXT_TERMS - 1}": "v"}
    body = json.dumps(doc).encode()
    assert len(body) > 600_000
    r = _post(big_child, endpoint, body, {"Content-Type": "application/ld+json"})
    _assert_refused(r, big_child, 400)
    assert "chain" in r.json()["message"] and "limit" in r.json()["message"]


# --- the bounds of the parse/validate process -------------------------------------------------


def blank_nodes(size: int) -> bytes:
    """`[] <p> [],[],[] …` : three bytes per triple, the issue's amplification."""
    head = b"[] <http://a/p> "
    return head + b"[]," * ((size - len(head) - 4) // 3) + b"[] ."


def _rss(app: AppProcess) -> int:
    status = Path(f"/proc/{app.proc.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))


@pytest.fixture
def limited(
    corpus_template: tuple[Path, dict[str, int]], tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Child]:
    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    env = {
        **child_env(store_dir),
        "CCMKG_MAX_UPLOAD_BYTES": str(4 * 1024 * 1024),
        **request.param,
    }
    with app_process(env, tmp_path / "server.log") as app:
        yield Child(app, store_dir, corpus_template[1])


@pytest.mark.parametrize("limited", [{"CCMKG_MAX_UPLOAD_TRIPLES": "1000"}], indirect=True)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_too_many_triples_is_413_naming_the_limit(limited: Child, endpoint: str) -> None:
    r = _post(limited, endpoint, blank_nodes(64 * 1024), {"Content-Type": "text/turtle"})
    _assert_refused(r, limited, 413)
    assert "CCMKG_MAX_UPLOAD_TRIPLES" in r.json()["message"]


@pytest.mark.parametrize(
    "limited",
    [{"CCMKG_MAX_UPLOAD_TRIPLES": "10000000", "CCMKG_VALIDATE_MEMORY_MB": "150"}],
    indirect=True,
)
def test_an_upload_that_needs_too_much_memory_is_413_and_the_memory_comes_back(
    limited: Child,
) -> None:
    before = _rss(limited.app)
    r = _post(
        limited, "/validate", blank_nodes(4 * 1024 * 1024 - 64), {"Content-Type": "text/turtle"}
    )
    _assert_refused(r, limited, 413)
    assert "CCMKG_VALIDATE_MEMORY_MB" in r.json()["message"]
    # The parse ran in a child: the server's own resident memory barely moved.
    assert _rss(limited.app) - before < 100 * 1024, (before, _rss(limited.app))


@pytest.mark.parametrize(
    "limited",
    [{"CCMKG_MAX_UPLOAD_TRIPLES": "10000000", "CCMKG_VALIDATE_TIMEOUT_S": "0.2"}],
    indirect=True,
)
def test_an_upload_past_the_validation_deadline_is_503_naming_the_limit(limited: Child) -> None:
    r = _post(
        limited, "/validate", blank_nodes(4 * 1024 * 1024 - 64), {"Content-Type": "text/turtle"}
    )
    assert r.status_code == 503, r.text[:300]
    assert r.json()["code"] == "validation-timeout"
    assert "CCMKG_VALIDATE_TIMEOUT_S" in r.json()["message"]
    limited.assert_serving()


# --- the isolation itself: what a pre-scan would miss still costs only the child --------------


def _segfault(ask: object) -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV, like a parser overflowing its stack


def _allocate(ask: object) -> bytes:
    return b"x" * (2 * 1024**3)


def _sleep(ask: object) -> None:
    time.sleep(30)


def _ask_twice(ask: object) -> int:
    return ask(1) + ask(2)  # type: ignore[operator, no-any-return]


def test_run_isolated_survives_a_crash_a_memory_blowup_and_a_hang() -> None:
    with pytest.raises(IsolatedCrash):
        run_isolated(_segfault, timeout_s=30, memory_bytes=None)
    with pytest.raises(IsolatedMemory):
        run_isolated(_allocate, timeout_s=30, memory_bytes=256 * 1024**2)
    with pytest.raises(IsolatedTimeout):
        run_isolated(_sleep, timeout_s=0.3, memory_bytes=None)
    assert run_isolated(_ask_twice, timeout_s=30, memory_bytes=None, answer=lambda q: q * 10) == 30


def test_the_server_still_answers_after_all_of_this(big_child: Child) -> None:
    big_child.assert_serving()
    assert httpx.get(f"{big_child.base}/ingest", timeout=30).json() == {"submissions": []}
