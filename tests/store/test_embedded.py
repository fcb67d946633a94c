"""EmbeddedStore only: durability (restart, kill -9, kill mid-write) and the worker time limit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Literal

from ccmkg.errors import QueryTimeout, StoreError
from ccmkg.settings import Settings
from ccmkg.store import embedded
from ccmkg.store.embedded import EmbeddedStore
from tests.helpers.data import EX, G1, SLOW_QUERY, many_triples, sample_graphs

ROOT = Path(__file__).resolve().parents[2]


def _open(path: Path, **kw: object) -> EmbeddedStore:
    return EmbeddedStore(Settings(store=str(path), query_workers=2, **kw))  # type: ignore[arg-type]


def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    s = _open(tmp_path)
    s.replace_graphs(sample_graphs())
    before = s.graphs()
    s.close()
    s.close()  # idempotent
    again = _open(tmp_path)
    try:
        assert again.graphs() == before
    finally:
        again.close()


def test_one_process_owns_a_store_directory(tmp_path: Path) -> None:
    s = _open(tmp_path)
    try:
        with pytest.raises(StoreError) as err:
            _open(tmp_path)
        assert "one process owns a store directory" in err.value.hint
    finally:
        s.close()


_WRITER = """
import sys
from ccmkg.settings import Settings
from ccmkg.store import embedded
from ccmkg.store.embedded import EmbeddedStore
from tests.helpers.data import G1, many_triples
store = EmbeddedStore(Settings(store=sys.argv[1], query_workers=1))
version = 0
while True:
    version += 1
    store.replace_graphs({G1: many_triples(int(sys.argv[2]), version)})
    print(version, flush=True)
    if sys.argv[3] == "once":
        break
if sys.argv[3] == "once":
    import time
    time.sleep(60)  # killed here, after the commit, without a clean close
"""


def _writer(path: Path, n: int, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(n), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,  # so that killing the group also kills its query workers
    )


def test_committed_write_survives_kill_9(tmp_path: Path) -> None:
    proc = _writer(tmp_path, 50, "once")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "1"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    s = _open(tmp_path)
    try:
        assert s.graphs() == {G1: 50}
    finally:
        s.close()


def test_kill_mid_write_leaves_one_whole_version(tmp_path: Path) -> None:
    """Writers replace G1 again and again; killed at any point, G1 is one complete version."""
    n = 2000
    proc = _writer(tmp_path, n, "loop")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "1"  # at least one commit; now mid-next-write
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    s = _open(tmp_path)
    try:
        rows = s.select("SELECT DISTINCT ?v WHERE { ?s ?p ?v }").rows
        assert len(rows) == 1, f"a mix of versions survived: {rows}"
        assert s.graphs() == {G1: n}
    finally:
        s.close()


def test_timeout_kills_the_worker_and_the_store_keeps_serving(tmp_path: Path) -> None:
    s = _open(tmp_path)
    try:
        s.replace_graphs({G1: many_triples(300)})
        with pytest.raises(QueryTimeout) as err:
            s.select(SLOW_QUERY, timeout_s=0.5)
        assert "time limit of 0.5 s" in err.value.message
        assert err.value.status == 503
        rows = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout_s=10).rows
        assert rows[0]["n"] == Literal(300)
    finally:
        s.close()


def test_workers_see_each_committed_write(tmp_path: Path) -> None:
    s = _open(tmp_path)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        for n in (3, 7, 11):
            s.replace_graphs({G1: many_triples(n)})
            assert s.select(count, timeout_s=10).rows[0]["n"] == Literal(n)
    finally:
        s.close()


def test_concurrent_limited_queries_share_the_pool(tmp_path: Path) -> None:
    s = _open(tmp_path)
    s.replace_graphs(sample_graphs())
    results: list[int] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            for _ in range(5):
                results.append(len(s.select("SELECT * WHERE { ?s ?p ?o }", timeout_s=20).rows))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    s.close()
    assert errors == []
    assert results == [sum(len(g) for g in sample_graphs().values())] * 30


def test_engine_crash_in_a_worker_is_an_error_not_an_outage(tmp_path: Path) -> None:
    """pyoxigraph segfaults on very deep nesting; in a worker that costs one worker only."""
    s = _open(tmp_path)
    try:
        s.replace_graphs(sample_graphs())
        deep = "SELECT * WHERE " + "{" * 20000 + "?s ?p ?o" + "}" * 20000
        with pytest.raises(StoreError) as err:
            s.select(deep, timeout_s=30)
        assert "worker stopped unexpectedly" in err.value.message
        assert s.select("SELECT * WHERE { ?s ?p ?o }", timeout_s=10).rows
    finally:
        s.close()


def test_unlimited_select_runs_in_process(tmp_path: Path) -> None:
    s = _open(tmp_path)
    try:
        s.replace_graphs(sample_graphs())
        rows = s.select(
            "PREFIX ex: <https://example.org/> SELECT ?m WHERE { ex:Laos ex:attended ?m }"
        ).rows
        assert rows == [{"m": EX.meeting2}]
    finally:
        s.close()


SNAPSHOTS = "ccmkg-read-snapshots"
THREE_WAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("copy_max_quads", [0, 100_000])
def test_a_busy_worker_keeps_reading_its_checkpoint_across_writes(
    tmp_path: Path, copy_max_quads: int
) -> None:
    """Workers read a checkpoint of the version they were forked at (on disk, or their own
    in-memory copy of it): a write while a query runs neither disturbs it (its checkpoint
    stays until it is done) nor is seen by it."""
    s = _open(tmp_path, worker_copy_max_quads=copy_max_quads)
    try:
        s.replace_graphs({G1: many_triples(200)})
        answers: list[object] = []
        slow = threading.Thread(
            target=lambda: answers.append(s.select(THREE_WAY, timeout_s=120).rows[0]["n"])
        )
        slow.start()
        time.sleep(0.5)  # the 8M-row count runs (seconds) in its worker
        for n in (5, 6):  # two writes, each followed by a query in a freshly forked worker
            s.replace_graphs({G1: many_triples(n)})
            count = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout_s=30)
            assert count.rows[0]["n"] == Literal(n)
        slow.join()
        assert answers == [Literal(200**3)]
    finally:
        s.close()


def test_checkpoints_no_worker_reads_are_removed(tmp_path: Path) -> None:
    s = _open(tmp_path)
    root = tmp_path / SNAPSHOTS
    try:
        for n in (2, 3, 4, 5):
            s.replace_graphs({G1: many_triples(n)})
            s.select("SELECT * WHERE { ?s ?p ?o }", timeout_s=30)
        # The idle workers of older versions were retired by the writes; what is left is the
        # checkpoint of the last version (and none of the three before it).
        assert sorted(p.name for p in root.iterdir()) == ["v4"]
    finally:
        s.close()
    assert not root.exists()


def test_checkpoints_left_by_a_killed_server_are_removed_at_open(tmp_path: Path) -> None:
    s = _open(tmp_path)
    s.replace_graphs({G1: many_triples(3)})
    s.select("SELECT * WHERE { ?s ?p ?o }", timeout_s=30)
    s.close()
    left = tmp_path / SNAPSHOTS / "v7"
    left.mkdir(parents=True)  # as a kill -9 leaves them
    again = _open(tmp_path)
    try:
        assert not left.exists()
        assert again.select("SELECT * WHERE { ?s ?p ?o }", timeout_s=30).rows
    finally:
        again.close()


def test_workers_answer_the_same_from_their_copy_and_from_disk(tmp_path: Path) -> None:
    """A small store is copied into each worker's memory; the answers (dataset parameters and
    FROM included) and the writes seen are those of the disk."""
    queries = [
        "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        f"SELECT ?s FROM <{G1}> WHERE {{ ?s ?p ?o }} ORDER BY ?s",
    ]
    answers = []
    for copy in (0, 100_000):
        s = _open(tmp_path / str(copy), worker_copy_max_quads=copy)
        try:
            s.replace_graphs(sample_graphs())
            for _ in range(40):  # reads that cost more CPU than copying this small store
                s.select(queries[0], timeout_s=30)
            time.sleep(0.5)  # the copies are made between requests, in ~ms for this store
            seen = [s.select(q, timeout_s=30).rows for q in queries for _ in range(3)]
            protocol = s.protocol_query(
                queries[0], "application/sparql-results+json", default_graph_uris=[str(G1)],
                timeout_s=30,
            ).body  # fmt: skip
            s.replace_graphs({G1: many_triples(4)})
            after = s.select(queries[1], timeout_s=30).rows
            answers.append((seen, protocol, after))
        finally:
            s.close()
    assert answers[0] == answers[1]


def _workers(s: EmbeddedStore) -> list[object]:
    return [*s._pool.handlers(), *s._sparql_pool.handlers()]


def test_the_workers_of_a_write_start_once_writes_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first query after an ingest does not pay for forking its workers (issue #16): they
    start when no write came for WARM_AFTER_WRITE_S, and they read the new version."""
    monkeypatch.setattr(embedded, "WARM_AFTER_WRITE_S", 0.2)
    s = _open(tmp_path)
    try:
        s.replace_graphs(sample_graphs())
        assert _workers(s) == [], "a write retires the idle workers of the old version"
        deadline = time.monotonic() + 20
        while len(_workers(s)) < 2 + s._sparql_pool.size and time.monotonic() < deadline:
            time.sleep(0.05)
        handlers = _workers(s)
        assert len(handlers) == 2 + s._sparql_pool.size
        current = s._snapshots.current(s._open_disk(), s._version)
        assert {h.path for h in handlers} == {current}  # type: ignore[attr-defined]
        rows = s.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout_s=10)
        assert int(rows.rows[0]["n"]) == sum(len(g) for g in sample_graphs().values())
    finally:
        s.close()


def test_a_store_closed_after_a_write_starts_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "WARM_AFTER_WRITE_S", 0.2)
    s = _open(tmp_path)
    s.replace_graphs(sample_graphs())
    s.close()
    time.sleep(0.6)
    assert _workers(s) == []
