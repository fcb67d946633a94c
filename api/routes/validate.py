"""POST /validate: an RDF body checked against the shapes, with the store's context; no writes."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ccmkg.api.deps import get_settings, get_store
from ccmkg.errors import NotAcceptable
from ccmkg.rdf_input import MEDIA_TYPES, ParsedRdf, check_size, format_for_media_type, parse_rdf
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import Report, Validator, package_validator

router = APIRouter(tags=["validation"])

_REPORT_TYPES = ("application/json", "text/turtle")
_lock = threading.Lock()

RDF_BODY = {
    "requestBody": {
        "required": True,
        "content": {m: {"schema": {"type": "string"}} for m in MEDIA_TYPES},
    }
}


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


async def parse_body(request: Request, settings: Settings) -> tuple[ParsedRdf, bytes]:
    """Content-Type → parser (415 first, before reading), then the bounded body, parsed."""
    fmt = format_for_media_type(request.headers.get("content-type"))
    body = await read_body(request, settings.max_upload_bytes)
    parsed = await run_in_threadpool(
        parse_rdf, body, fmt, source="body", timeout_s=settings.parse_timeout_s
    )
    return parsed, body


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


def report_response(report: Report, media: str, status: int = 200) -> Response:
    if media == "text/turtle":
        return Response(report.turtle, status_code=status, media_type="text/turtle")
    return JSONResponse(report.as_dict(), status_code=status)


@router.post("/validate", openapi_extra=RDF_BODY)
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
    parsed, _ = await parse_body(request, settings)
    report = await run_in_threadpool(validator.validate_upload, parsed, store)
    return report_response(report, media)
