"""`Queries.run_many`: several named queries at once, answered as `run` answers each."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmkg.api.rest.runner import Queries
from ccmkg.errors import BadParameter
from ccmkg.settings import Settings
from ccmkg.store import Store
from tests.api.test_rest_api import BASE, fixture_graphs


def _queries(store: Store, tmp_path: Path) -> Queries:
    store.replace_graphs(fixture_graphs())
    return Queries(store, Settings(store=str(tmp_path / "unused"), base_iri=BASE))


def test_answers_come_in_the_order_asked_and_equal_one_at_a_time(
    store: Store, tmp_path: Path
) -> None:
    queries = _queries(store, tmp_path)
    calls = [
        ("api_coordinator_holding", {"holding": f"{BASE}id/holding/{h}"})
        for h in ("ecu2016", "zmb2012", "zmb2016")
    ]
    at_once = queries.run_many(calls)
    one_by_one = [queries.run(name, params) for name, params in calls]
    assert [a.rows for a in at_once] == [a.rows for a in one_by_one]
    assert [{str(r["holding"]) for r in a.rows} for a in at_once] == [
        {params["holding"]} for _, params in calls
    ]


def test_a_refused_parameter_is_raised_as_run_raises_it(store: Store, tmp_path: Path) -> None:
    queries = _queries(store, tmp_path)
    with pytest.raises(BadParameter, match="area"):
        queries.run_many([("api_holding_days", {}), ("api_holding_days", {"area": "nowhere"})])
