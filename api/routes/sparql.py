"""/sparql: the SPARQL 1.1 Protocol query operation — read-only, bounded, time-limited.

The route only reads the request, checks the text (ccmkg.sparql_guard) and negotiates the
media type; the store runs the query (in a killable worker for the embedded store) and writes
the body. Errors are JSON {"code", "message", "hint"} like everywhere in the API.

The body is bounded by the BodyLimits middleware while it streams (api/limits.py); each
client may run CCMKG_SPARQL_PER_CLIENT queries at once (429), all clients together
CCMKG_SPARQL_WORKERS + CCMKG_SPARQL_QUEUE (503 busy). On the embedded store, answers are
kept until the next write and carry an ETag (api/sparql_cache.py, CCMKG_SPARQL_CACHE_MB).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ccmkg.api.limits import client_key
from ccmkg.api.rest.listing import TRUNCATED_HEADER
from ccmkg.api.rest.models import ErrorBody
from ccmkg.api.sparql_cache import AnswerCache, Key, etag_of, matches
from ccmkg.errors import (
    InputError,
    NotAcceptable,
    QueryRejected,
    ResponseTooLarge,
    UnsupportedMediaType,
)
from ccmkg.settings import Settings
from ccmkg.sparql_guard import check_query_within, plain_syntax_error
from ccmkg.store import ProtocolResult, Store
from ccmkg.store.results import PREFERRED

log = logging.getLogger(__name__)

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
# The name of the first release, still sent when an answer is cut; X-Result-Truncated is the
# one every answer of the API carries.
LEGACY_TRUNCATED_HEADER = "X-CCMKG-Truncated"


def negotiate(accept: str | None, offered: list[str]) -> str:
    """The offered media type the Accept header likes best (q-values, type/*, */*).

    Ties go to the earlier entry of `offered` (the server's preference).

    Raises:
        NotAcceptable: every offered type has q=0 or matches nothing.
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))

    def quality(media_type: str) -> float:
        main = media_type.split("/")[0]
        best: tuple[int, float] = (-1, 0.0)  # (specificity, q) of the most specific match
        for rng, q in ranges:
            if rng == media_type:
                spec = 2
            elif rng == f"{main}/*":
                spec = 1
            elif rng == "*/*":
                spec = 0
            else:
                continue
            if spec > best[0]:
                best = (spec, q)
        return best[1]

    scored = [(quality(m), -i, m) for i, m in enumerate(offered)]
    q, _, media = max(scored)
    if q <= 0:
        raise NotAcceptable(
            f"None of the requested media types ({accept}) can be produced.",
            hint="Available: " + ", ".join(offered),
        )
    return media


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryRejected(
            f"The request has {len(values)} '{name}' parameters; exactly one is allowed.",
            hint="Send a single query per request.",
        )
    return values[0] if values else None


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"The {what} is not valid UTF-8.", hint="Encode it as UTF-8.") from exc


async def _read_request(request: Request, settings: Settings) -> tuple[str, list[str], list[str]]:
    """(query, default-graph-uri list, named-graph-uri list) from GET, form POST or direct POST.

    Raises:
        QueryRejected / InputError / UnsupportedMediaType / PayloadTooLarge: as the protocol asks.
    """
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST":
        raw_type = request.headers.get("content-type", "")
        media, *rest = [p.strip() for p in raw_type.split(";")]
        media = media.lower()
        charsets = [p.split("=", 1)[1] for p in rest if p.lower().startswith("charset=")]
        charset = charsets[0].strip().strip('"').lower() if charsets else "utf-8"
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"The request body is declared as {charset}; only UTF-8 is accepted.",
                hint="Send the query as UTF-8.",
            )
        body = await request.body()  # bounded while it streams (api/limits.py)
        if media == FORM:
            text = _decode(body, "form body")
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            if "update" in params:
                _refuse_update()
        elif media == DIRECT:
            if "query" in params:
                raise QueryRejected("A direct POST carries the query in the body, not in ?query=.")
            params["query"] = [_decode(body, "query")]
        elif media == UPDATE:
            _refuse_update()
        else:
            raise UnsupportedMediaType(
                f"POST /sparql needs Content-Type {FORM} or {DIRECT}, not {raw_type or 'none'}.",
                hint="See the SPARQL 1.1 Protocol, section 2.1.",
            )
    elif "update" in params:
        _refuse_update()
    query = _one(params.get("query", []), "query")
    if query is None:
        raise QueryRejected(
            "No query: send ?query=… (GET), a form field 'query' or an application/sparql-query "
            "body (POST).",
        )
    return query, params.get("default-graph-uri", []), params.get("named-graph-uri", [])


def _refuse_update() -> None:
    raise QueryRejected(
        "SPARQL Update is not accepted: /sparql is a read-only query endpoint.",
        hint="Use the ingest API to change data.",
    )


METHODS = ["GET", "POST"]
_ERROR = {"model": ErrorBody}
_RESULT_TYPES = sorted({m for types in PREFERRED.values() for m in types})
_QUERY_PARAMS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The query (GET; or a form field / application/sparql-query body)"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "explode": True},
]  # fmt: skip
SPARQL_BODY = {
    "required": True,
    "content": {
        FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
        DIRECT: {"schema": {"type": "string"}},
    },
}


SPARQL_ROUTE: dict[str, Any] = dict(
    summary="SPARQL 1.1 Protocol query endpoint (read-only)",
    response_class=Response,
    responses={
        200: {
            "description": "Query results in the negotiated format.",
            "content": {m: {"schema": {"type": "string"}} for m in _RESULT_TYPES},
        },
        400: {
            **_ERROR,
            "description": "Malformed or refused query (update, SERVICE, "
            "too deep, too many operators, groups or patterns).",
        },
        304: {"description": "Not modified: If-None-Match names the current answer's ETag."},
        406: {**_ERROR, "description": "No acceptable result format."},
        413: {**_ERROR, "description": "Query text or request body too large."},
        415: {**_ERROR, "description": "POST body neither a form nor a SPARQL query."},
        429: {**_ERROR, "description": "This client runs too many queries at once."},
        503: {
            **_ERROR,
            "description": "Time, memory or answer size limit (query-timeout, "
            "query-memory-limit, response-too-large), or every slot busy (busy).",
        },
    },
)


async def sparql(request: Request) -> Response:
    """Answer SELECT/ASK/CONSTRUCT/DESCRIBE by the SPARQL 1.1 Protocol.

    Results are capped at CCMKG_MAX_RESULT_ROWS; a capped answer carries the header
    `X-CCMKG-Truncated: true` and a `Warning` header.
    """
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    query, default_graphs, named_graphs = await _read_request(request, settings)
    accept = request.headers.get("accept")
    cache = answer_cache(request.app.state, settings, store)
    key: Key | None = None
    if cache is not None:
        # The generation is read before the query runs: a write during it makes the answer
        # stale at once. A cached answer passed the guard under these same settings.
        generation: int = getattr(store, "data_generation", -1)
        key = (generation, query, tuple(default_graphs), tuple(named_graphs), accept or "")
        hit = cache.get(key)
        if hit is not None:
            return _answer(hit.result, settings, hit.etag, request.headers.get("if-none-match"))

    def checked_and_run() -> tuple[ProtocolResult, str | None]:
        # One thread hop for the guard, the query and the ETag (each hop costs the event loop
        # a context switch per request): the guard scan is linear, but a 100 KB text still
        # takes milliseconds, and so does the digest of a large answer.
        media_type = _checked_media_type(query, accept, settings)
        with _plain_syntax_errors(query):
            result = store.protocol_query(
                query, media_type, **_dataset_and_limits(settings, default_graphs, named_graphs)
            )
        return result, None if cache is None else etag_of(result.body)

    with request.app.state.sparql_admission.admit(client_key(request.scope)):
        if len(query) <= INLINE_GUARD_CHARS and isinstance(store, AsyncProtocol):
            result, etag = await _checked_and_run_async(store, query, accept, settings, cache,
                                                        default_graphs, named_graphs)  # fmt: skip
        else:
            result, etag = await run_in_threadpool(checked_and_run)
    if len(result.body) > settings.max_response_bytes:  # a remote store's answer
        raise ResponseTooLarge(
            f"The answer is {len(result.body)} bytes; the limit is "
            f"{settings.max_response_bytes} bytes (CCMKG_MAX_RESPONSE_BYTES).",
            hint="Add a LIMIT, select fewer variables, or avoid building long strings.",
        )
    if cache is not None and key is not None and etag is not None and repeatable(query):
        cache.put(key, result, etag)
    return _answer(result, settings, etag, request.headers.get("if-none-match"))


def _dataset_and_limits(
    settings: Settings, default_graphs: list[str], named_graphs: list[str]
) -> dict[str, Any]:
    """The dataset and limits of a /sparql request, as both store calls take them."""
    return {
        "default_graph_uris": default_graphs or None,
        "named_graph_uris": named_graphs or None,
        "max_rows": settings.max_result_rows,
        "timeout_s": settings.query_timeout_s,
    }


def _checked_media_type(query: str, accept: str | None, settings: Settings) -> str:
    """The guard's verdict on the text (raises if refused), then the answer's media type."""
    info = check_query_within(query, settings)
    return negotiate(accept, PREFERRED[info.form])


@contextlib.contextmanager
def _plain_syntax_errors(query: str) -> Iterator[None]:
    """A syntax error as the parser of the store words it, said plainly for the client."""
    try:
        yield
    except QueryRejected as exc:
        plain = plain_syntax_error(exc, query)
        if plain is exc:
            raise
        raise plain from exc


@runtime_checkable
class AsyncProtocol(Protocol):
    """A store that can await a time-limited protocol query on the event loop (embedded)."""

    async def protocol_query_async(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        max_rows: int | None = None,
        timeout_s: float,
    ) -> ProtocolResult: ...


# A text this short is checked on the event loop (the guard scans ~0.15 ms per KB, and a
# text that passed is remembered); a longer one is checked in a thread, as before.
INLINE_GUARD_CHARS = 8192
# An answer this large has its ETag digest computed in a thread.
INLINE_DIGEST_BYTES = 256 * 1024


async def _checked_and_run_async(
    store: AsyncProtocol,
    query: str,
    accept: str | None,
    settings: Settings,
    cache: AnswerCache | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> tuple[ProtocolResult, str | None]:
    """The guard, the query and the ETag without a thread (the embedded store awaits its
    worker on the loop): per request that saves the hand-over to a thread and back, about
    half of what the server process spent on a /sparql request (docs/decisions/store.md)."""
    media_type = _checked_media_type(query, accept, settings)
    with _plain_syntax_errors(query):
        result = await store.protocol_query_async(
            query, media_type, **_dataset_and_limits(settings, default_graphs, named_graphs)
        )
    if cache is None:
        return result, None
    if len(result.body) > INLINE_DIGEST_BYTES:
        return result, await run_in_threadpool(etag_of, result.body)
    return result, etag_of(result.body)


# A query whose answer can differ between two runs over the same data: the time, random
# values, fresh blank nodes or IRIs, another endpoint's data. A false match (the word inside
# a literal or an IRI) only means one answer is not kept.
_UNREPEATABLE = re.compile(r"(?i)\b(?:SERVICE|NOW|RAND|UUID|STRUUID|BNODE)\b")


def repeatable(query: str) -> bool:
    """Whether the same query over the same data gives the same answer (so it may be kept)."""
    return _UNREPEATABLE.search(query) is None


def answer_cache(state: Any, settings: Settings, store: Store) -> AnswerCache | None:
    """The app's cache of answers; None when it is off or the store has no data generation."""
    if not settings.sparql_cache_mb or not hasattr(store, "data_generation"):
        return None
    cache: AnswerCache | None = getattr(state, "sparql_cache", None)
    if cache is None:
        cache = state.sparql_cache = AnswerCache(settings.sparql_cache_mb * 2**20)
    return cache


def _answer(
    result: ProtocolResult,
    settings: Settings,
    etag: str | None = None,
    if_none_match: str | None = None,
) -> Response:
    """The HTTP answer: the body in its media type, the truncation headers, the ETag (304
    without a body when the client holds that answer already)."""
    headers = {"Vary": "Accept", **result.headers}
    if etag is not None:
        headers["ETag"] = etag
        if matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
    headers[TRUNCATED_HEADER] = "true" if result.truncated else "false"
    if result.truncated:
        headers[LEGACY_TRUNCATED_HEADER] = "true"
        headers["Warning"] = (
            f'199 ccmkg "Results truncated to {settings.max_result_rows} rows; '
            'add LIMIT/OFFSET to page through them"'
        )
        log.info("sparql answer truncated at %s rows", settings.max_result_rows)
    content_type = result.media_type
    if content_type.startswith("text/") or content_type.endswith(("json", "xml")):
        content_type += "; charset=utf-8"
    return Response(content=result.body, media_type=content_type, headers=headers)


for _method in METHODS:
    router.add_api_route(
        "/sparql", sparql, methods=[_method], operation_id=f"sparql_{_method.lower()}",
        openapi_extra={"parameters": [{**_QUERY_PARAMS[0], "required": True}, *_QUERY_PARAMS[1:]]}
        if _method == "GET"
        else {"parameters": _QUERY_PARAMS, "requestBody": SPARQL_BODY},
        **SPARQL_ROUTE,
    )  # fmt: skip
# The W3C protocol tests (and some clients) use /sparql/ with a trailing slash.
router.add_api_route("/sparql/", sparql, methods=METHODS, include_in_schema=False)
