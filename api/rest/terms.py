"""rdflib terms from query rows → the plain JSON values the API answers with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Literal
from rdflib.term import Node

# A query row; the passage details `passages.with_details` adds are plain lexical forms.
Row = Mapping[str, Node | str | None]


def text(row: Row, name: str) -> str | None:
    """The lexical form of a bound value (IRIs and literals alike), None when unbound."""
    value = row.get(name)
    return None if value is None else str(value)


def integer(row: Row, name: str) -> int | None:
    value = row.get(name)
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def boolean(row: Row, name: str) -> bool | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, Literal):
        python: Any = value.toPython()
        if isinstance(python, bool):
            return python
    return str(value).lower() in ("true", "1")


def day(row: Row, name: str) -> str | None:
    """A date as YYYY-MM-DD (a dateTime is cut to its day)."""
    value = text(row, name)
    return value[:10] if value else None


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
