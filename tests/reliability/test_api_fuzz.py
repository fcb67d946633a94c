"""Schemathesis, CI-sized: every operation of /openapi.json, positive and negative cases,
a few each; no 5xx. bench/fuzz_api.py runs the same with ≥ 10,000 cases."""

from __future__ import annotations

import os

import pytest

from devtools.api_fuzz import run_fuzz
from devtools.rel_support import TOKEN
from tests.reliability.conftest import Live

pytestmark = pytest.mark.slow  # schemathesis

EXAMPLES = int(os.environ.get("CCMKG_API_FUZZ_EXAMPLES", "5"))


def test_no_generated_request_gets_a_5xx(live: Live) -> None:
    result = run_fuzz(live.base, EXAMPLES, TOKEN)
    assert len(result.by_operation) >= 20, result.by_operation  # every operation was reached
    failures = result.distinct_failures()
    assert not failures, "\n".join(
        f"{op} → {status} {code}: {f.curl}" for (op, status, code), f in failures.items()
    )
