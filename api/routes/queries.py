"""GET /queries: the named query library, documented; GET /queries/{name}?k=v runs one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.rest.listing import TRUNCATED_HEADER
from ccmkg.api.rest.runner import catalogue
from ccmkg.catalogue import Catalogue, to_csv, to_records
from ccmkg.errors import BadParameter
from ccmkg.settings import Settings
from ccmkg.store import Store

router = APIRouter(tags=["queries"])
CSV = "text/csv"
RESERVED = {"format"}  # request options, never query parameters


def _catalogue(base_iri: str) -> Catalogue:
    """The REST API's catalogue: one parse per process, under the parser's lock (runner.py)."""
    return catalogue(base_iri)


def _wants_csv(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt not in ("json", "csv"):
            raise BadParameter(f"format {fmt!r} is not json or csv", hint="?format=csv or json")
        return fmt == "csv"
    accept = [p.split(";")[0].strip().lower() for p in request.headers.get("accept", "").split(",")]
    if CSV not in accept:
        return False
    return "application/json" not in accept[: accept.index(CSV)]


@router.get("/queries", summary="The named queries, with their parameters and columns")
def list_queries(settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    """Each query's title, description, parameters (type, required), columns and example."""
    catalogue = _catalogue(settings.base_iri)
    items = [catalogue.get(name).as_doc() for name in catalogue.names()]
    for item in items:
        item["href"] = f"/queries/{item['name']}"
    return {"items": items, "count": len(items)}


@router.get(
    "/queries/{name}",
    summary="Run a named query; parameters as query string, JSON rows or CSV",
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
def run_query(
    name: str,
    request: Request,
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
) -> Any:
    """Rows of the named query; 404 for an unknown name, 422 for a bad parameter."""
    catalogue = _catalogue(settings.base_iri)
    catalogue.get(name)  # 404 before anything else
    params = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    repeated = [k for k in params if len(request.query_params.getlist(k)) > 1]
    if repeated:
        raise BadParameter(f"parameter {repeated[0]!r} given more than once")
    csv_wanted = _wants_csv(request)
    rows = catalogue.run(
        store,
        name,
        params,
        max_rows=settings.max_result_rows,
        timeout_s=settings.query_timeout_s,
        service_allowlist=settings.service_allowlist,
    )
    headers = {TRUNCATED_HEADER: "true" if rows.truncated else "false"}
    if csv_wanted:
        return PlainTextResponse(to_csv(rows), media_type=CSV, headers=headers)
    body = {
        "query": name,
        "params": params,
        "columns": rows.variables,
        "rows": to_records(rows),
        "count": len(rows.rows),
        "truncated": rows.truncated,
    }
    return JSONResponse(body, headers=headers)
