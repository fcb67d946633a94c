"""Schemathesis with every check (issue #14, item 9): the OpenAPI document is true of the server.

Status codes and media types as documented, bodies valid against their schemas, our error body
on every 4xx/5xx (the router's 404/405 included), 405 with an Allow header for undocumented
methods, format-like parameters as enums, schema-valid requests accepted and invalid ones
refused, links between operations that hold (ids a list returns are accepted by its detail
route). What the schema cannot say is written down in tests/reliability/schemathesis.toml.
"""

from __future__ import annotations

import os

import httpx
import pytest

from devtools.api_fuzz import run_contract
from devtools.rel_support import TOKEN
from tests.reliability.conftest import Live

pytestmark = pytest.mark.slow  # schemathesis, all phases

EXAMPLES = int(os.environ.get("CCMKG_API_CONTRACT_EXAMPLES", "5"))


def test_the_openapi_document_holds_under_every_schemathesis_check(live: Live) -> None:
    result = run_contract(live.base, EXAMPLES, TOKEN)
    assert result.ok, result.summary + "\n\n" + result.output[-12000:]
    assert httpx.get(f"{live.base}/health", timeout=30).status_code == 200
