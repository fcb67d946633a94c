"""The hint of a 422 for a parameter FastAPI's validator refused: its documented constraint.

The constraint is read from the route's own parameter declarations (the `description` shown in
/openapi.json), so the error and the documentation cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request

GENERIC_HINT = "See /docs for the parameters this endpoint accepts."


def documented_parameters(request: Request) -> dict[str, str]:
    """Name → description of every parameter of the route that matched `request`."""
    out: dict[str, str] = {}
    pending = [getattr(request.scope.get("route"), "dependant", None)]
    while pending:
        # The route's own parameters, then those of its dependencies (ListParams and others).
        dependant = pending.pop()
        if dependant is None:
            continue
        for field in (*dependant.path_params, *dependant.query_params, *dependant.header_params):
            if field.field_info.description:
                out.setdefault(field.alias, field.field_info.description)
        pending.extend(dependant.dependencies)
    return out


def parameter_hint(request: Request, errors: Iterable[Mapping[str, Any]]) -> str:
    """`name: its documented constraint` for each refused parameter, or the generic hint."""
    documented = documented_parameters(request)
    hints: dict[str, None] = {}
    for error in errors:
        loc = error.get("loc", ())
        name = str(loc[-1]) if loc else ""
        if name in documented:
            hints[f"{name}: {documented[name]}."] = None
    return " ".join(hints) or GENERIC_HINT
