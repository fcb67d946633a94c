"""Linked-data HTTP conventions shared by the publishing routes.

- `negotiate`: pick a representation from the Accept header (q-values, wildcards), or 406.
- `ContextLinkMiddleware`: every plain-JSON response carries
  `Link: </context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"`, which turns the REST
  API's JSON into JSON-LD for any JSON-LD processor (JSON-LD 1.1 §6.1). Responses that are
  already `application/ld+json` are left alone: the spec tells processors to ignore the header
  there, and their context is in the body.
- `api_context()`: the @context itself, mapping each REST field name to an ontology term.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ccmkg.errors import NotAcceptable
from ccmkg.model.iri import NUMBERED_MEETINGS
from ccmkg.model.namespaces import PREFIXES
from ccmkg.model.vocab import vocabulary

CONTEXT_PATH = "/context.jsonld"
CONTEXT_LINK = (
    f'<{CONTEXT_PATH}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
)


def _parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header."""
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q, i))
    return ranges


def _specificity(media_range: str, offered: str) -> int | None:
    """How precisely `media_range` matches `offered` (2 exact, 1 type/*, 0 */*), or None."""
    if media_range == offered:
        return 2
    if media_range == "*/*":
        return 0
    main, _, sub = media_range.partition("/")
    if sub == "*" and offered.split("/")[0] == main:
        return 1
    return None


def negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type the client prefers; the first offered when Accept is absent.

    Each offered type takes the q of the most specific range that matches it; ties go to
    the server's order (its preference), so `*/*` gets the first offered type.

    Raises:
        NotAcceptable: nothing offered is acceptable (406, listing what is).
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    best: tuple[float, int] | None = None
    choice = None
    for rank, media_type in enumerate(offered):
        matches = [
            (spec, q) for r, q, _ in ranges if (spec := _specificity(r, media_type)) is not None
        ]
        if not matches:
            continue
        q = max(matches)[1]
        if q <= 0:
            continue
        if best is None or (q, -rank) > best:
            best, choice = (q, -rank), media_type
    if choice is None:
        raise NotAcceptable(
            f"none of the requested media types ({accept}) is available here",
            hint=f"ask for one of: {', '.join(offered)}",
        )
    return choice


def _is_plain_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    if media == "application/ld+json":
        return False
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class ContextLinkMiddleware:
    """Adds the JSON-LD context Link header to every plain-JSON HTTP response.

    A pure ASGI middleware: it only rewrites the response-start message, so streamed bodies
    pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next(
                    (v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), ""
                )
                if _is_plain_json(content_type):
                    headers.append((b"link", CONTEXT_LINK.encode("latin-1")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_link)


# --- the @context of the REST API --------------------------------------------------------------

_NS = {
    name: PREFIXES[name]
    for name in (
        *("ccm", "rdf", "rdfs", "xsd", "skos", "dcterms", "org", "prov", "oa"),
        *("foaf", "schema", "hydra"),
    )
}


def _date(iri: str) -> dict[str, str]:
    return {"@id": iri, "@type": "xsd:date"}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri, "@type": "@id"}


def _vocab(iri: str) -> dict[str, str]:
    """A field whose string values are term names defined below (e.g. "president")."""
    return {"@id": iri, "@type": "@vocab"}


# A passage inside `sources`: its `start`/`end` are character offsets, not a term's dates.
_SOURCE_CONTEXT: dict[str, Any] = {
    "document": _ref("oa:hasSource"),
    "section": "ccm:section",
    "quote": "oa:exact",
    "start": {"@id": "oa:start", "@type": "xsd:integer"},
    "end": {"@id": "oa:end", "@type": "xsd:integer"},
    "title": "dcterms:title",
    "date": _date("dcterms:date"),
}


def _value_terms() -> dict[str, str]:
    """String values of `role`, `kind`, `format` and `event` fields -> their ontology terms.

    Read off the ontology's notations (ccmkg.model.vocab), plus the short meeting labels.
    """
    vocab = vocabulary()
    schemes = (vocab.roles, vocab.meeting_kinds, vocab.formats, vocab.event_types)
    terms = {t.slug: "ccm:" + t.local_name for scheme in schemes for t in scheme}
    for kind, label in NUMBERED_MEETINGS.items():
        terms[label] = terms[kind]
    return terms


def api_context() -> dict[str, Any]:
    """The JSON-LD 1.1 @context for the REST API's JSON (served at /context.jsonld).

    Lists are Hydra collections (`items` → hydra:member, `count` → hydra:totalItems); an item
    with `start`/`end` is a post holding or meeting (ccm:startDate/endDate) while inside
    `sources` the same names are passage offsets (oa:start/oa:end), by a scoped context.
    """
    terms: dict[str, Any] = {
        "@version": 1.1,
        **_NS,
        "id": "@id",
        # `type` ("state", "organization", an obligation type) stays a plain string: "state"
        # is also a field name, and processors disagree on scoped contexts for @type values.
        # The class is on the entity itself, one GET away (its `id` resolves).
        "type": "dcterms:type",
        "items": "hydra:member",
        "count": {"@id": "hydra:totalItems", "@type": "xsd:integer"},
        "label": "rdfs:label",
        "slug": "skos:notation",
        "iso3": "ccm:iso3",
        "acronym": "ccm:acronym",
        "name": "foaf:name",
        "spellings": "ccm:nameAsWritten",
        "honorific": "ccm:honorific",
        # a post holding (coordinators, presidencies)
        "area": _ref("ccm:coversArea"),
        "state": _ref("ccm:holder"),
        "start": _date("ccm:startDate"),
        "end": _date("ccm:endDate"),
        "attested": _date("dcterms:valid"),
        "role": _vocab("org:role"),
        "meeting": _ref("ccm:atMeeting"),
        "ordinal": {"@id": "ccm:ordinal", "@type": "xsd:integer"},
        "kind": _vocab("rdf:type"),
        # provenance
        "sources": {"@id": "prov:wasDerivedFrom", "@type": "@id", "@context": _SOURCE_CONTEXT},
        "document": _ref("ccm:inDocument"),
        "section": "ccm:section",
        "quote": "oa:exact",
        # meetings
        "date": _date("dcterms:date"),
        "title": "dcterms:title",
        "venue": "ccm:venue",
        "start_time": {"@id": "ccm:startTime", "@type": "xsd:time"},
        "end_time": {"@id": "ccm:endTime", "@type": "xsd:time"},
        "format": _vocab("ccm:meetingFormat"),
        "chair": _ref("ccm:chair"),
        "present": {"@reverse": "ccm:atMeeting"},
        "apologies": {"@reverse": "ccm:atMeeting"},
        "agenda": {"@reverse": "ccm:atMeeting"},
        "action_points": {"@reverse": "ccm:atMeeting"},
        "actor": _ref("ccm:delegation"),
        "persons": {
            "@id": "ccm:participant",
            "@type": "@id",
            "@context": {"role": "ccm:participantRole"},
        },
        "received": {"@id": "ccm:apologyReceived", "@type": "xsd:boolean"},
        "previous_minutes_approved": _date("ccm:approvedMinutesDate"),
        "next_meeting": "ccm:announcedText",
        "meetings": {"@reverse": "ccm:participant"},
        "delegation": _ref("ccm:delegation"),
        # obligations and conflicts
        "article": {"@id": "ccm:articleNumber", "@type": "xsd:integer"},
        "event": _vocab("ccm:eventType"),
        "text": "ccm:text",
        "deadline": _date("ccm:deadline"),
        "about": "ccm:conflictAbout",
        "values": "ccm:claimedValue",
        "claims": _ref("ccm:conflictingClaim"),
        **_value_terms(),
    }
    return {"@context": terms}
