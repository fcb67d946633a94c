"""POST/GET/DELETE /ingest: token-gated writes of validated data, each with provenance."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.routes.validate import RDF_BODY, UPLOAD_ERRORS, check_body, get_validator
from ccmkg.errors import NotConformant
from ccmkg.ingest import (
    bearer,
    check_token,
    delete_submission,
    ingest_checked,
    list_submissions,
    rederive,
)
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.store.workers import trim_memory
from ccmkg.validation import Report, Validator

log = logging.getLogger(__name__)
router = APIRouter(tags=["ingest"])
TRIM_AFTER_BYTES = 1024 * 1024


_ERROR = {"model": ErrorBody}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_ERROR, "description": "Missing or wrong bearer token."},
    403: {**_ERROR, "description": "Ingest is disabled (no CCMKG_INGEST_TOKEN)."},
}


@router.post(
    "/ingest",
    status_code=201,
    openapi_extra=RDF_BODY,
    responses={
        201: {
            "description": "Stored: the submission, with its report and what the rules "
            "derived again (`derived`: null without reference data)."
        },
        422: {**_ERROR, "description": "SHACL violations (with the report); nothing written."},
        **_AUTH_ERRORS,
        **UPLOAD_ERRORS,
    },
)
async def post_ingest(
    request: Request,
    note: str = Query("", max_length=2000, description="Why and from where this data comes."),
    submitter: str = Query("anonymous", max_length=200, description="Who submits it."),
    authorization: str | None = Header(None),
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
    validator: Validator = Depends(get_validator),
) -> Response:
    """Validate the body and, if it conforms, store it as a new named graph; then run the
    rules again (derived terms and deadlines follow the upload).

    201 with the graph's IRI and what the rules derived (`derived`: null without reference
    data); 422 with the SHACL report and nothing written; 401/403 before the body is read.
    """
    check_token(settings, bearer(authorization))
    checked, body = await check_body(request, settings, store, validator, keep_triples=True)
    report = checked.report
    try:
        sub = await run_in_threadpool(
            ingest_checked, settings, store, checked, body, submitter=submitter, note=note
        )
    except NotConformant as exc:
        assert isinstance(exc.report, Report)
        return JSONResponse(
            {**exc.as_dict(), "report": exc.report.as_dict()}, status_code=exc.status
        )
    finally:
        if len(body) > TRIM_AFTER_BYTES:  # the graph of a large upload is gone: give it back
            await run_in_threadpool(trim_memory)
    derived = await run_in_threadpool(rederive, settings, store, validator)
    return JSONResponse(
        {**sub.as_dict(), "report": report.as_dict(), "derived": derived},
        status_code=201,
        headers={"Location": f"/ingest/{sub.id}"},
    )


@router.get("/ingest", responses={503: {**_ERROR, "description": "The store is unavailable."}})
def get_ingest(
    settings: Settings = Depends(get_settings), store: Store = Depends(get_store)
) -> dict[str, Any]:
    """The accepted submissions, oldest first, with their provenance."""
    return {"submissions": [s.as_dict() for s in list_submissions(settings, store)]}


@router.delete(
    "/ingest/{submission_id}",
    status_code=204,
    responses={404: {**_ERROR, "description": "No such submission."}, **_AUTH_ERRORS},
)
def delete_ingest(
    submission_id: str,
    authorization: str | None = Header(None),
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
    validator: Validator = Depends(get_validator),
) -> Response:
    """Remove one submission: its graph and its record, together; then run the rules again
    (what was derived from it goes with it)."""
    check_token(settings, bearer(authorization))
    delete_submission(settings, store, submission_id)
    derived = rederive(settings, store, validator)
    if derived is not None and "error" in derived:
        log.warning("rules not run again after removing %s: %s", submission_id, derived["error"])
    return Response(status_code=204)
