"""Deeply nested JSON-LD on /validate and /ingest: refused with a 4xx, never a crash.

A module of its own: if the parser crashes, the server process dies, and only these tests
fail, not every test that shares the server.
"""

from __future__ import annotations

import pytest

from tests.reliability.conftest import MAX_UPLOAD_BYTES, Child
from tests.reliability.test_broken_inputs import ENDPOINTS, _assert_refused, _post


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_deeply_nested_jsonld_is_refused_not_a_crash(child: Child, endpoint: str) -> None:
    """5,000 nested JSON-LD objects (~75 KB, well under the size limit). pyoxigraph's JSON-LD
    parser overflows its stack (segmentation fault) somewhere between 3,000 and 4,000 levels,
    which kills the whole server when parsing runs in-process."""
    depth = 5_000
    body = (
        '{"@id": "https://example.org/a", "https://example.org/p": '
        + '{"https://example.org/p": ' * depth
        + '"x"'
        + "}" * depth
        + "}"
    ).encode()
    assert len(body) < MAX_UPLOAD_BYTES
    response = _post(child, endpoint, body, {"Content-Type": "application/ld+json"})
    _assert_refused(response, child)
