"""Shared helpers for the reading-half tests (no fixtures that hide anything)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ccmkg.loaders.records import Passage


def passages(obj: object) -> Iterator[Passage]:
    """Every Passage reachable from a record (dataclasses, lists, tuples)."""
    if isinstance(obj, Passage):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from passages(getattr(obj, f.name))
    elif isinstance(obj, list | tuple):
        for x in obj:
            yield from passages(x)
