"""Publishing: dumps, the VoID description, ontology and shapes documentation, the @context.

Content negotiation follows the usual linked-data convention: one URL per resource, the
representation chosen by Accept (or `?format=` for links a person can click), `Vary: Accept`
on every negotiated answer, 406 with the available types when nothing fits.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from rdflib import Graph

from ccmkg.api.deps import get_settings, get_store
from ccmkg.api.ldpages import ontology_page_fallback, shapes_page
from ccmkg.api.linking import CONTEXT_PATH, api_context, negotiate
from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.services.described import described
from ccmkg.errors import NotAcceptable
from ccmkg.export import FORMATS, PREFIXES, stream_export
from ccmkg.model.vocab import ontology_graph
from ccmkg.resources import ontology_file, shape_files
from ccmkg.settings import Settings
from ccmkg.store import Store

log = logging.getLogger(__name__)
router = APIRouter(tags=["publishing"])

HTML, TURTLE, JSONLD, NTRIPLES = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
)
# ?format= shortcuts, for links in pages.
FORMAT_PARAM = {"html": HTML, "ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "nt": NTRIPLES}
_RDFLIB_FORMAT = {TURTLE: "turtle", JSONLD: "json-ld", NTRIPLES: "nt"}


def body_schema(media_type: str) -> dict[str, Any]:
    """JSON-LD is JSON (an object or an array); every other syntax is text."""
    return {"type": ["object", "array"]} if media_type == JSONLD else {"type": "string"}


def negotiated(offered: list[str], what: str) -> dict[str, Any]:
    """Route options that document a negotiated answer: its media types, `?format=` (an
    enum of the shortcuts that fit) and the 406 when nothing fits."""
    shortcuts = [k for k, v in FORMAT_PARAM.items() if v in offered]
    return {
        "response_class": Response,
        "responses": {
            200: {
                "description": what,
                "content": {m: {"schema": body_schema(m)} for m in offered},
                "headers": {"Vary": {"schema": {"type": "string"}}},
            },
            406: {"model": ErrorBody, "description": "No offered representation fits."},
        },
        "openapi_extra": {
            "parameters": [
                {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "description": "Overrides the Accept header",
                    "schema": {"type": "string", "enum": shortcuts},
                }
            ]
        },
    }


def choose(request: Request, offered: list[str]) -> str:
    """The representation to send: `?format=` wins over Accept.

    Raises:
        NotAcceptable: neither names an offered type.
    """
    wanted = request.query_params.get("format")
    if wanted is not None:
        media = FORMAT_PARAM.get(wanted.lower())
        if media not in offered:
            raise NotAcceptable(
                f"format {wanted!r} is not available here",
                hint=f"use one of: {', '.join(k for k, v in FORMAT_PARAM.items() if v in offered)}",
            )
        return media  # type: ignore[return-value]
    return negotiate(request.headers.get("accept"), offered)


def rdf_response(graph: Graph, media_type: str) -> Response:
    """A graph serialised in `media_type`, with prefixes, marked as negotiated."""
    return negotiated_response(serialised(graph, media_type), media_type)


def serialised(graph: Graph, media_type: str) -> bytes:
    """The graph in `media_type`, with our prefixes."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    if media_type == JSONLD:
        text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    else:
        text = graph.serialize(format=_RDFLIB_FORMAT[media_type])
    return text.encode("utf-8")


def negotiated_response(body: bytes, media_type: str) -> Response:
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def html_response(html: str) -> Response:
    return Response(html, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


# --- dumps ---------------------------------------------------------------------------------------


def _dump_route(fmt: str) -> None:
    spec = FORMATS[fmt]

    def dump(
        store: Store = Depends(get_store), settings: Settings = Depends(get_settings)
    ) -> StreamingResponse:
        return StreamingResponse(
            stream_export(store, settings.base_iri, fmt),
            media_type=spec.media_type,
            headers={"Content-Disposition": f'inline; filename="ccm-kg.{spec.suffix}"'},
        )

    dump.__doc__ = (
        f"The whole dataset as {spec.media_type}, streamed"
        + (", named graphs kept" if spec.keeps_graphs else " (union of the named graphs)")
        + ", with its VoID/DCAT description."
    )
    router.add_api_route(
        f"/dump.{spec.suffix}",
        dump,
        methods=["GET"],
        response_class=StreamingResponse,
        name=f"dump_{fmt}",
        summary=f"Dump ({fmt})",
        responses={
            200: {
                "description": "The dataset, streamed.",
                "content": {spec.media_type: {"schema": body_schema(spec.media_type)}},
            }
        },
    )


for _fmt in FORMATS:
    _dump_route(_fmt)


# --- VoID ------------------------------------------------------------------------------------


@router.get(
    "/.well-known/void",
    summary="VoID/DCAT description of the dataset",
    **negotiated([TURTLE, JSONLD, NTRIPLES], "The VoID/DCAT description."),
)
def void(
    request: Request,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> Response:
    """Triples, classes, named graphs, source documents, licence: computed from the store
    (once per data generation: api/services/described.py)."""
    media = choose(request, [TURTLE, JSONLD, NTRIPLES])
    body = described(store, settings.base_iri, media, lambda graph: serialised(graph, media))
    return negotiated_response(body, media)


# --- ontology and shapes ---------------------------------------------------------------------


@cache
def _ontology_html() -> str:
    """pyLODE's documentation of the ontology, built once (it takes a couple of seconds)."""
    try:
        from pylode import OntPub
    except ImportError:  # pragma: no cover - depends on the installation
        log.warning("pylode is not installed; serving a plain term listing for /ontology")
        return ontology_page_fallback(ontology_graph())
    return str(OntPub(ontology_file()).make_html())


def _shapes_key() -> tuple[tuple[str, float], ...]:
    return tuple((str(p), p.stat().st_mtime) for p in shape_files())


@cache
def _shapes_graph(key: tuple[tuple[str, float], ...]) -> Graph:
    """All shape files in one graph; re-read only when a file changes."""
    graph = Graph()
    for path, _ in key:
        graph.parse(Path(path), format="turtle")
    return graph


@router.get(
    "/ontology",
    summary="The ontology: HTML for people, Turtle or JSON-LD for machines",
    **negotiated([HTML, TURTLE, JSONLD, NTRIPLES], "The ontology."),
)
def ontology(request: Request) -> Response:
    media = choose(request, [HTML, TURTLE, JSONLD, NTRIPLES])
    if media == HTML:
        return html_response(_ontology_html())
    if media == TURTLE:  # the file as written, comments and order kept
        return Response(ontology_file().read_bytes(), media_type=TURTLE, headers={"Vary": "Accept"})
    return rdf_response(ontology_graph(), media)


@router.get(
    "/shapes",
    summary="The SHACL shapes: HTML for people, Turtle or JSON-LD for machines",
    **negotiated([HTML, TURTLE, JSONLD, NTRIPLES], "The SHACL shapes."),
)
def shapes(request: Request) -> Response:
    media = choose(request, [HTML, TURTLE, JSONLD, NTRIPLES])
    graph = _shapes_graph(_shapes_key())
    if media == HTML:
        return html_response(shapes_page(graph))
    return rdf_response(graph, media)


# --- the JSON-LD context of the REST API -----------------------------------------------------


@router.get(
    CONTEXT_PATH,
    summary="JSON-LD @context of the REST API's JSON",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "The @context.",
            "content": {JSONLD: {"schema": {"type": "object"}}},
        }
    },
)
def context() -> JSONResponse:
    """Maps each REST field name to an ontology term; linked from every JSON response."""
    return JSONResponse(
        json.loads(json.dumps(api_context())),
        media_type="application/ld+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )
