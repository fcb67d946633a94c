"""GET /documents and GET /documents/{id}: the documents of the record, and a document's text
with a cited passage highlighted (HTML with <mark>, JSON, or plain text)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ccmkg.api.ldpages import page
from ccmkg.api.linking import negotiate
from ccmkg.api.rest.docmodels import DocumentList, DocumentText
from ccmkg.api.rest.listing import ListParams, list_params
from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.rest.output import CSV_RESPONSES, page_answer
from ccmkg.api.rest.runner import Queries, get_queries
from ccmkg.api.services import documents as service
from ccmkg.errors import BadParameter

router = APIRouter(tags=["documents"])
JSON, HTML, TEXT = "application/json", "text/html", "text/plain"
FORMATS = {"json": JSON, "html": HTML, "text": TEXT, "txt": TEXT}


@router.get(
    "/documents",
    response_model=DocumentList,
    responses={**CSV_RESPONSES, 422: {"model": ErrorBody}},
    summary="The documents of the record: title, date, family, file and checksum",
)
def documents(
    page_: ListParams = Depends(list_params), queries: Queries = Depends(get_queries)
) -> Response:
    return page_answer(service.documents(queries), page_)


@router.get(
    "/documents/{id:path}",
    response_model=DocumentText,
    responses={
        200: {"content": {m: {"schema": {"type": "string"}} for m in (HTML, TEXT)}},
        404: {"model": ErrorBody},
        406: {"model": ErrorBody},
        422: {"model": ErrorBody},
    },
    summary="A document's full text, with a cited passage highlighted (HTML, JSON or text)",
)
def document(
    request: Request,
    id: str = Path(description="Last segment of the document IRI, or the IRI (document.id)"),
    passage: str | None = Query(
        None, description="start-end of the passage to highlight, e.g. 50-91 (a source's offsets)"
    ),
    format: str | None = Query(None, description="html, json or text; without it, Accept decides"),
    queries: Queries = Depends(get_queries),
) -> Response:
    """Every source the API returns links here (`text_url`): the whole text, passage marked."""
    media = _media(request, format)
    found = service.document_text(queries, id, service.parse_passage(passage))
    headers = {"Vary": "Accept"}
    if media == TEXT:
        return PlainTextResponse(found.text, headers=headers)
    if media == HTML:
        return Response(_html(found), media_type="text/html; charset=utf-8", headers=headers)
    return JSONResponse(found.model_dump(mode="json"), headers=headers)


def _media(request: Request, fmt: str | None) -> str:
    if fmt:
        media = FORMATS.get(fmt.strip().lower())
        if media is None:
            raise BadParameter(f"format={fmt!r} is not allowed.", "Use one of: html, json, text.")
        return media
    return negotiate(request.headers.get("accept"), [JSON, HTML, TEXT])


def _html(doc: DocumentText) -> str:
    """The text in a <pre>, the passage in a <mark id="passage"> (the page scrolls to it)."""
    body = doc.text
    if doc.passage is not None:
        start, end = doc.passage.start, doc.passage.end
        shown = (
            escape(body[:start])
            + f"<mark id='passage'>{escape(body[start:end])}</mark>"
            + escape(body[end:])
        )
    else:
        shown = escape(body)
    head = escape(doc.title or doc.id) + (f" ({escape(doc.date)})" if doc.date else "")
    jump = "<p><a href='#passage'>Go to the passage</a></p>" if doc.passage else ""
    return page(
        doc.title or doc.id,
        f"<h1>{head}</h1><p class='muted'>{escape(doc.iri)} · {escape(doc.file_name or '')}"
        f"</p>{jump}<pre style='white-space:pre-wrap'>{shown}</pre>",
    )
