"""Ingesting a body that holds no triple is refused: a separate module, so that the store
check of the `child` fixture speaks about this case alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import Child
from tests.reliability.test_broken_inputs import MEDIA, _assert_refused, _files, _post


@pytest.mark.parametrize("path", _files("empty"), ids=lambda p: p.name)
def test_ingesting_nothing_is_refused(child: Child, path: Path) -> None:
    """Valid syntax without one triple (e.g. every relative @id dropped) must not be stored
    as an empty submission: the submitter would believe the data was taken."""
    response = _post(child, "/ingest", path.read_bytes(), {"Content-Type": MEDIA[path.suffix]})
    _assert_refused(response, child)
