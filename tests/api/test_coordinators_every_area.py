"""GET /coordinators without an area reads every holding's rows and its passage rows apart
(api_coordinators, as api_area_holdings for one area): the same items as asking area by area.

Issue #16: their product (every passage once per mandate year and term) took 2.0 s at 1M
triples and passed the row cap, so the list lost holdings. Through HTTP, on the corpus with the
reference data and on bench/synth.py's graph (the `api` fixture of test_rest_vs_named).
"""

from __future__ import annotations

from typing import Any

import pytest

from ccmkg.api.services import coordinators
from ccmkg.model.vocab import vocabulary
from tests.api.test_rest_vs_named import Api, api  # noqa: F401  (the fixture)


@pytest.mark.parametrize("sources", ["all", "none"])
def test_every_area_is_the_areas_one_by_one(api: Api, sources: str) -> None:  # noqa: F811
    every = api.rest("/coordinators", role="any", sources=sources)
    assert_the_areas_one_by_one(api, every, role="any", sources=sources)
    assert all(item["topic"] for item in every if item["area"] is None)


def test_a_state_is_bound_in_both_kinds_of_row(api: Api) -> None:  # noqa: F811
    every = api.rest("/coordinators", role="any")
    holder = every[0]["state"]["iso3"]
    theirs = api.rest("/coordinators", role="any", state=holder)
    assert theirs == [item for item in every if item["state"]["iso3"] == holder]
    assert all(item["sources"] for item in theirs)


def test_a_period_without_an_area_is_the_areas_periods(
    api: Api,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a period and no area the holdings are chosen from their dates first (api/services/
    coordinators.py, _chosen_by_dates): the same items as each area asked with the period, and
    the same whether the chosen holdings are bound in the query or every holding is read."""
    every = api.rest("/coordinators", role="any")
    years = sorted({day[:4] for item in every for day in item["attested"]})
    asked = [years[0], years[len(years) // 2], years[-1]]
    for year in asked:
        found = api.rest("/coordinators", role="any", year=year)
        assert_the_areas_one_by_one(api, found, role="any", year=year)
        monkeypatch.setattr(coordinators, "MAX_BOUND_HOLDINGS", 0)
        assert api.rest("/coordinators", role="any", year=year) == found
        monkeypatch.undo()


def assert_the_areas_one_by_one(served: Api, found: list[dict[str, Any]], **asked: str) -> None:
    """The items of `found` with an area are those each area answers asked the same."""
    by_area = [
        item
        for term in vocabulary().areas
        for item in served.rest("/coordinators", area=term.slug, **asked)
    ]
    with_area = [item for item in found if item["area"] is not None]
    assert with_area and sorted(with_area, key=lambda i: i["id"]) == sorted(
        by_area, key=lambda i: i["id"]
    )
