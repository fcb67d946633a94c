"""The store suite runs on every backend: embedded, `oxigraph serve`, and Virtuoso 7.

Virtuoso takes tens of seconds to create its database and start, so its runs are marked
`slow` (CI runs them; the fast loop skips them). See docs/decisions/remote-servers.md for what
differs between the two servers and where the store handles it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ccmkg.settings import Settings
from ccmkg.store import Store
from tests.conftest import _open_empty, _settings_for

VIRTUOSO = pytest.param("virtuoso", marks=pytest.mark.slow)
SERVERS = ["remote", VIRTUOSO]


@pytest.fixture(params=["embedded", *SERVERS])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings naming a fresh store on each backend; the servers are shared and cleared."""
    return _settings_for(request.param, request, tmp_path)


@pytest.fixture(params=SERVERS)
def remote_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty RemoteStore on each real server."""
    s = _open_empty(_settings_for(request.param, request, tmp_path))
    yield s
    s.close()


@pytest.fixture(params=SERVERS)
def server_query_url(request: pytest.FixtureRequest) -> str:
    """The query URL of each real server."""
    if request.param == "virtuoso":
        return str(request.getfixturevalue("virtuoso").query_url)
    return f"{request.getfixturevalue('oxigraph_server')}/query"
