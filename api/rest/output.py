"""List answers as JSON (`{"items","count",…}`) or CSV (`?format=csv` / `Accept: text/csv`).

CSV is for spreadsheets and pandas: nested objects become dotted columns (`state.iso3`), lists
are joined with " | " so one item stays one row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ccmkg.api.rest.listing import (
    CSV,
    TRUNCATED_HEADER,
    Listing,
    ListParams,
    negotiated_format,
)
from ccmkg.errors import BadParameter

JOIN = " | "
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {CSV: {"schema": {"type": "string"}}},
        "description": "JSON, or CSV",
        "headers": {
            TRUNCATED_HEADER: {
                "description": "true when the store's row cap cut the answer",
                "schema": {"type": "string", "enum": ["true", "false"]},
            },
            "X-Total-Count": {
                "description": "Items matching the filters, before limit/offset",
                "schema": {"type": "integer"},
            },
        },
    },
    422: {"description": "A bad parameter", "model": None},
}


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
    listing: Listing[BaseModel], params: ListParams, *, sources: bool = True
) -> Response:
    """One page of `listing` in the format asked for; its truncation in body and header.
    Without `sources` (`sources=none`) the items have no `sources` field (nor its CSV
    columns)."""
    left_out = None if sources else {"sources"}
    window = listing.window(params.offset, params.limit)
    chosen = [item.model_dump(mode="json", exclude=left_out) for item in window]
    headers = {
        TRUNCATED_HEADER: "true" if listing.truncated else "false",
        "X-Total-Count": str(len(listing)),
    }
    if params.format == "csv":
        headers["Content-Disposition"] = 'inline; filename="ccm-kg.csv"'
        return Response(to_csv(chosen), media_type="text/csv; charset=utf-8", headers=headers)
    body = {
        "items": chosen,
        "count": len(listing),
        "limit": params.limit,
        "offset": params.offset,
        "truncated": listing.truncated,
    }
    return JSONResponse(body, headers=headers)


DETAIL_FORMAT_DOC = "json or csv; without it, the Accept header decides (default json)"
DETAIL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {"schema": {"type": "string"}}}, "description": "JSON, or CSV"},
}


def detail_format(
    request: Request,
    format: Annotated[str | None, Query(description=DETAIL_FORMAT_DOC)] = None,
) -> str:
    """FastAPI dependency of a detail route: `json` or `csv`; any other `format` is a 422
    (a detail route never ignores a format it was asked for)."""
    wanted = (format or "").strip().lower()
    if wanted and wanted not in ("json", "csv"):
        raise BadParameter(f"format={format!r} is not allowed here.", "Use one of: json, csv.")
    return wanted or negotiated_format(request)


def detail_answer(item: BaseModel, fmt: str, rows: str | None = None) -> Response:
    """One object as JSON, or as CSV: one row (lists joined with " | "), or one row per
    element of its list field `rows` (a timeline's events)."""
    data = item.model_dump(mode="json")
    if fmt == "csv":
        records = (data.get(rows) or []) if rows else [data]
        headers = {"Content-Disposition": 'inline; filename="ccm-kg.csv"'}
        return Response(to_csv(records), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse(data)
