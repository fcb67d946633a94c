"""Identifiers that cannot be IRIs (space, quotes, angle brackets, control characters) in
path parameters: a 4xx saying so, never 500 (unhandled) or 503 (blaming the store).

Found by the schemathesis run (test_api_fuzz.py); each case here is one it reported.
"""

from __future__ import annotations

import httpx
import pytest

from tests.reliability.conftest import Live

PATHS = [
    "/id/a%20b",
    "/id/%22",
    "/id/a%3Eb",
    "/id/%7B",
    "/id/8%04",
    "/actors/%00",
    "/actors/%C2%95/timeline",
    "/persons/%1A",
    "/meetings/%00",
    "/meetings?person=%C2%83",
    "/meetings?person=a%20b",
]


@pytest.mark.parametrize("path", PATHS)
def test_an_impossible_iri_is_a_4xx(live: Live, path: str) -> None:
    # JSON for the API, Turtle for the linked-data pages (which have no JSON form).
    accept = "application/json, text/turtle;q=0.5"
    r = httpx.get(f"{live.base}{path}", headers={"Accept": accept})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.json()["code"] in ("bad-parameter", "not-found"), r.text[:300]
