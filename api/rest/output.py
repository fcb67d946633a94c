"""List answers as JSON (`{"items","count",…}`) or CSV (`?format=csv` / `Accept: text/csv`).

CSV is for spreadsheets and pandas: nested objects become dotted columns (`state.iso3`), lists
are joined with " | " so one item stays one row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from ccmkg.api.rest.params import Page, parse_choice

CSV = "text/csv"
JOIN = " | "
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {"schema": {"type": "string"}}}, "description": "JSON, or CSV"},
    422: {"description": "A bad parameter", "model": None},
}


def wants_csv(request: Request, fmt: str | None) -> bool:
    """`format` wins over the Accept header; CSV when Accept names text/csv before JSON."""
    chosen = parse_choice("format", fmt, ["json", "csv"])
    if chosen is not None:
        return chosen == "csv"
    ranked = [
        part.split(";")[0].strip().lower() for part in request.headers.get("accept", "").split(",")
    ]
    if CSV not in ranked:
        return False
    return "application/json" not in ranked[: ranked.index(CSV)]


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """One CSV row from a nested item."""
    out: dict[str, str] = {}
    if isinstance(value, Mapping):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        parts: dict[str, list[str]] = {}
        for element in value:
            for k, v in flatten(element, prefix).items():
                parts.setdefault(k, []).append(v)
        if not value:
            out[prefix] = ""
        out.update({k: JOIN.join(vs) for k, vs in parts.items()})
    elif value is None:
        out[prefix] = ""
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)
    return out


def to_csv(items: Iterable[Mapping[str, Any]]) -> str:
    rows = [flatten(item) for item in items]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def page_answer(
    request: Request,
    fmt: str | None,
    items: list[dict[str, Any]],
    page: Page,
    truncated: bool = False,
) -> dict[str, Any] | Response:
    """Slice `items` to the page and answer in the format asked for."""
    chosen = items[page.offset : page.offset + page.limit]
    if wants_csv(request, fmt):
        headers = {
            "X-Total-Count": str(len(items)),
            "Content-Disposition": 'inline; filename="ccm-kg.csv"',
        }
        return Response(to_csv(chosen), media_type="text/csv; charset=utf-8", headers=headers)
    return {
        "items": chosen,
        "count": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "truncated": truncated,
    }
