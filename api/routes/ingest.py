"""POST/GET/DELETE /ingest: token-gated writes of validated data, each with provenance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.routes.validate import RDF_BODY, get_validator, parse_body
from ccmkg.errors import NotConformant
from ccmkg.ingest import bearer, check_token, delete_submission, ingest, list_submissions
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import Report, Validator

router = APIRouter(tags=["ingest"])


@router.post("/ingest", status_code=201, openapi_extra=RDF_BODY)
async def post_ingest(
    request: Request,
    note: str = Query("", max_length=2000, description="Why and from where this data comes."),
    submitter: str = Query("anonymous", max_length=200, description="Who submits it."),
    authorization: str | None = Header(None),
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
    validator: Validator = Depends(get_validator),
) -> Response:
    """Validate the body and, if it conforms, store it as a new named graph.

    201 with the graph's IRI; 422 with the SHACL report and nothing written; 401/403 before
    the body is read.
    """
    check_token(settings, bearer(authorization))
    parsed, body = await parse_body(request, settings)
    try:
        sub, report = await run_in_threadpool(
            ingest, settings, store, validator, parsed, body, submitter=submitter, note=note
        )
    except NotConformant as exc:
        assert isinstance(exc.report, Report)
        return JSONResponse(
            {**exc.as_dict(), "report": exc.report.as_dict()}, status_code=exc.status
        )
    return JSONResponse(
        {**sub.as_dict(), "report": report.as_dict()},
        status_code=201,
        headers={"Location": f"/ingest/{sub.id}"},
    )


@router.get("/ingest")
def get_ingest(
    settings: Settings = Depends(get_settings), store: Store = Depends(get_store)
) -> dict[str, Any]:
    """The accepted submissions, oldest first, with their provenance."""
    return {"submissions": [s.as_dict() for s in list_submissions(settings, store)]}


@router.delete("/ingest/{submission_id}", status_code=204)
def delete_ingest(
    submission_id: str,
    authorization: str | None = Header(None),
    settings: Settings = Depends(get_settings),
    store: Store = Depends(get_store),
) -> Response:
    """Remove one submission: its graph and its record, together."""
    check_token(settings, bearer(authorization))
    delete_submission(settings, store, submission_id)
    return Response(status_code=204)
