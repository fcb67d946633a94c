"""Faults, CI-sized: kill -9 the server mid-ingest (3 rounds) and the remote store mid-request.

bench/faults.py runs the same code 20 times each, and kills the loader too (tests/
loaders_pipeline/test_cli_load.py already kills the loader in CI, so it is not repeated here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.fault_runs import (
    OutageStep,
    kill_server_mid_ingest,
    random_delays,
    remote_outage,
)
from devtools.rel_support import copy_store
from devtools.server import free_port

pytestmark = pytest.mark.slow  # kill -9 fault runs


def test_kill_9_server_mid_ingest_keeps_exactly_the_committed_graphs(
    corpus_template: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    store_dir = copy_store(corpus_template[0], tmp_path / "store")
    outcomes = []
    # One random point in each of three windows: early (mostly parsing and validating the
    # first upload), middle, late (after several commits).
    delays = [random_delays(1, 0.3 + w, 1.0 + w)[0] for w in (0.0, 0.8, 1.8)]
    for i, delay in enumerate(delays):
        out = kill_server_mid_ingest(store_dir, tmp_path / f"server{i}.log", delay)
        assert out.ok, out
        outcomes.append(out)
    # The store kept growing by whole uploads across the kills, and the corpus is untouched.
    final = outcomes[-1].after
    assert {g: final[g] for g in corpus_template[1]} == corpus_template[1]
    assert sum(o.acknowledged for o in outcomes) >= 1, "no ingest finished: nothing was proven"


def test_remote_store_going_away_gives_503_then_recovers(tmp_path: Path) -> None:
    steps: list[OutageStep] = []
    remote_outage(tmp_path / "oxigraph", free_port(), steps.append)
    by_phase: dict[str, list[OutageStep]] = {}
    for s in steps:
        by_phase.setdefault(s.what.split(":")[0], []).append(s)
    assert [s.status for s in by_phase["store up"]] == [200, 200, 200, 201], steps
    for s in by_phase["store down"] + by_phase["killed mid-request"]:
        assert s.status == 503, s
        assert s.code == "store-unavailable", s
        assert s.message and "Traceback" not in s.message, s
        assert "SPARQL" in s.message or "store" in s.message, s  # says where to look
    assert [s.status for s in by_phase["store back"]] == [200, 200, 200, 201], steps
