"""POST /validate: an RDF body checked against the shapes, with the store's context; no writes.

The body is parsed and validated in a process of its own (ccmkg.ingest.check_upload), at
most CCMKG_VALIDATE_WORKERS at once: a body that crashes the parser or needs gigabytes costs
that process, never the server.

GET /validate/store: everything the store holds, checked in place (the shapes as SPARQL
queries, engine `sparql`), admitted and time-limited like a /sparql query.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.limits import client_key
from ccmkg.api.rest.listing import MAX_OFFSET, blank_is
from ccmkg.api.rest.models import ErrorBody
from ccmkg.errors import Busy, NotAcceptable
from ccmkg.ingest import CheckedUpload, check_upload
from ccmkg.rdf_input import MEDIA_TYPES, check_size, format_for_media_type
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import Report, ReportWindow, Validator, package_validator

router = APIRouter(tags=["validation"])

_REPORT_TYPES = ("application/json", "text/turtle")
_lock = threading.Lock()

RDF_BODY = {
    "requestBody": {
        "required": True,
        "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in MEDIA_TYPES},
    }
}
_ERROR = {"model": ErrorBody}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR, "description": "Not valid RDF, refused before parsing (triple terms, "
          "nesting), or the parser died on it (input-crashed-parser)."},
    408: {**_ERROR, "description": "The body was not complete in time (CCMKG_BODY_TIMEOUT_S)."},
    413: {**_ERROR, "description": "Too many bytes or triples, or too much memory needed."},
    415: {**_ERROR, "description": "A Content-Type that is not one of the RDF syntaxes."},
    503: {**_ERROR, "description": "Parsing and validation ran out of time "
          "(validation-timeout), or every validation slot is busy (busy)."},
}  # fmt: skip


def get_validator(request: Request) -> Validator:
    """The app's validator (the package's shapes unless a test put its own on app.state)."""
    state = request.app.state
    with _lock:
        if getattr(state, "validator", None) is None:
            state.validator = package_validator()
        return state.validator  # type: ignore[no-any-return]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it is known to exceed `limit` bytes.

    Raises:
        PayloadTooLarge: by Content-Length before reading, or while streaming without it.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        check_size(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        check_size(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _slots(request: Request, settings: Settings) -> asyncio.Semaphore:
    state = request.app.state
    if getattr(state, "upload_slots", None) is None:
        state.upload_slots = asyncio.Semaphore(settings.validate_workers)
    return state.upload_slots  # type: ignore[no-any-return]


async def check_body(
    request: Request,
    settings: Settings,
    store: Store,
    validator: Validator,
    *,
    keep_triples: bool = False,
    want_turtle: bool = False,
) -> tuple[CheckedUpload, bytes]:
    """Content-Type → parser (415 first, before reading), the bounded body, then parse and
    validate it in a process of its own (one of CCMKG_VALIDATE_WORKERS slots)."""
    fmt = format_for_media_type(request.headers.get("content-type"))
    body = await read_body(request, settings.max_upload_bytes)
    slots = _slots(request, settings)
    try:
        await asyncio.wait_for(slots.acquire(), timeout=settings.validate_timeout_s)
    except TimeoutError:
        raise Busy(
            f"All {settings.validate_workers} validation slots stayed busy "
            f"(CCMKG_VALIDATE_WORKERS).",
            hint="Retry later.",
        ) from None
    try:
        checked = await run_in_threadpool(
            check_upload, settings, store, validator, body, fmt,
            keep_triples=keep_triples, want_turtle=want_turtle,
        )  # fmt: skip
    finally:
        slots.release()
    return checked, body


def negotiate_report(accept: str | None) -> str:
    """application/json unless the client prefers text/turtle; 406 if it takes neither."""
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranges.append((-q, i, media.lower()))
    for neg_q, _, media in sorted(ranges):
        if neg_q == 0:
            break
        for candidate in _REPORT_TYPES:
            if media in (candidate, "*/*", candidate.split("/")[0] + "/*"):
                return candidate
    raise NotAcceptable("the report comes as application/json or text/turtle")


def report_response(report: Report | ReportWindow, media: str, status: int = 200) -> Response:
    if media == "text/turtle":
        return Response(report.turtle, status_code=status, media_type="text/turtle")
    return JSONResponse(report.as_dict(), status_code=status)


# A whole store's report can hold every triple's defect: it is sent a window at a time.
REPORT_DEFAULT_LIMIT = 1000
REPORT_MAX_LIMIT = 10_000


@router.post(
    "/validate",
    openapi_extra=RDF_BODY,
    response_class=Response,
    responses={
        200: {
            "description": "The SHACL report (conforms, counts, results), JSON or Turtle.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/turtle": {"schema": {"type": "string"}},
            },
        },
        406: {**_ERROR, "description": "The report comes as JSON or Turtle only."},
        **UPLOAD_ERRORS,
    },
)
async def validate(
    request: Request,
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
    validator: Validator = Depends(get_validator),
) -> Response:
    """Validate the body (Turtle, N-Triples, N-Quads, TriG or JSON-LD, by Content-Type).

    The data is checked together with what the store already holds about the IRIs it
    mentions; only results about the uploaded nodes are reported. Nothing is written.
    """
    media = negotiate_report(request.headers.get("accept"))
    checked, _ = await check_body(
        request, settings, store, validator, want_turtle=media == "text/turtle"
    )
    return report_response(checked.report, media)


@router.get(
    "/validate/store",
    response_class=Response,
    responses={
        200: {
            "description": "The SHACL report of the whole store, JSON or Turtle: its "
            "verdict and counts, and the results of the window `offset`, `limit`.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/turtle": {"schema": {"type": "string"}},
            },
            "headers": {
                "X-Total-Count": {
                    "description": "Results in the whole report, before limit/offset",
                    "schema": {"type": "integer"},
                }
            },
        },
        406: {**_ERROR, "description": "The report comes as JSON or Turtle only."},
        429: {**_ERROR, "description": "This client runs too many queries at once."},
        503: {**_ERROR, "description": "The validation ran past CCMKG_QUERY_TIMEOUT_S "
              "(query-timeout), or every query slot is busy (busy)."},
    },
)  # fmt: skip
async def validate_store(
    request: Request,
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=REPORT_MAX_LIMIT,
            description=f"At most this many results in the answer, from 1 to {REPORT_MAX_LIMIT} "
            f"(default {REPORT_DEFAULT_LIMIT}); the verdict and counts are the whole store's.",
        ),
        BeforeValidator(blank_is(REPORT_DEFAULT_LIMIT)),
    ] = REPORT_DEFAULT_LIMIT,
    offset: Annotated[
        int,
        Query(ge=0, le=MAX_OFFSET, description="Results to skip (Violations come first)."),
        BeforeValidator(blank_is(0)),
    ] = 0,
) -> Response:
    """Validate everything the store holds against the package's shapes. Nothing is written.

    The shapes run as SPARQL queries on the store's own indexes, in its killable query
    workers; the whole validation gets CCMKG_QUERY_TIMEOUT_S, the limit of one /sparql
    query, and is admitted like one (CCMKG_SPARQL_PER_CLIENT, CCMKG_SPARQL_WORKERS).
    The answer carries `limit` results from `offset` (Violations first), with `total`,
    `truncated` and the header X-Total-Count; the Turtle report holds the same window.
    """
    media = negotiate_report(request.headers.get("accept"))
    validator = package_validator("sparql")
    with request.app.state.sparql_admission.admit(client_key(request.scope)):
        report = await run_in_threadpool(
            validator.validate_store, store, timeout_s=settings.query_timeout_s
        )
    window = report.window(offset, limit)
    response = report_response(window, media)
    response.headers["X-Total-Count"] = str(window.total)
    return response
