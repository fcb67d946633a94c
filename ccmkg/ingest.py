"""Gated ingest: validate an upload, then write it and its provenance in one transaction.

Shared by POST /ingest and `ccmkg ingest`. The guarantees:
- nothing is written unless the upload conforms (validated with the store's context);
- the data graph and its provenance record go in one `replace_graphs` call: both or neither;
- an upload never names the graphs it lands in: each gets a fresh IRI
  `{base}graph/upload/{id}`, its record `{base}graph/upload/{id}/provenance`, so an upload
  can neither overwrite a document's graph nor forge a record;
- a token check in constant time; no token configured means ingest is off;
- over HTTP, an upload is parsed and validated in a process of its own (`check_upload`),
  bounded in time, memory and triples: whatever the input does to the parser or the SHACL
  engine (a crash, gigabytes), the server goes on serving and answers with a 4xx/503 that
  names the limit; the memory goes back to the system with that process.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, VOID

from ccmkg.errors import (
    CcmKgError,
    Forbidden,
    InputCrashed,
    InputError,
    NotConformant,
    NotFound,
    Unauthorized,
    UploadTooLarge,
    ValidationTimeout,
)
from ccmkg.model.iri import IriScheme
from ccmkg.rdf_input import ParsedRdf, RdfFormat, ntriples_to_rdflib, parse_rdf
from ccmkg.rules import Verdict, rederive_if_reference
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.store.workers import (
    Ask,
    IsolatedCrash,
    IsolatedMemory,
    IsolatedTimeout,
    run_isolated,
)
from ccmkg.validation import Report, Validator, context_of, mentioned_iris

SPDX = Namespace("http://spdx.org/rdf/terms#")
_ID = re.compile(r"^[0-9a-f]{32}$")


def check_token(settings: Settings, presented: str | None) -> None:
    """Let the call through only with the configured bearer token.

    Raises:
        Forbidden: no token is configured, so ingest is disabled.
        Unauthorized: the token is missing or wrong.
    """
    if settings.ingest_token is None or not settings.ingest_token.get_secret_value():
        raise Forbidden("ingest disabled", hint="The operator must set CCMKG_INGEST_TOKEN.")
    expected = settings.ingest_token.get_secret_value().encode("utf-8")
    given = (presented or "").encode("utf-8")
    if not presented or not hmac.compare_digest(given, expected):
        raise Unauthorized(
            "missing or wrong bearer token", hint="Send 'Authorization: Bearer <token>'."
        )


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def graph_iri(settings: Settings, submission_id: str) -> str:
    return str(IriScheme(settings.base_iri).mint("upload-graph", key=submission_id))


def provenance_iri(settings: Settings, submission_id: str) -> str:
    return str(IriScheme(settings.base_iri).mint("upload-provenance-graph", key=submission_id))


@dataclass(frozen=True)
class Submission:
    """One accepted upload, as listed by GET /ingest."""

    id: str
    graph: str
    submitter: str
    time: str
    note: str
    sha256: str
    triples: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class CheckedUpload:
    """An upload parsed and validated in its own process: what the server keeps of it."""

    report: Report
    ntriples: str  # the parsed triples, for the write (empty unless asked for)
    triples: int
    source: str = "body"

    def graph(self) -> Graph:
        return ntriples_to_rdflib(self.ntriples)


def check_upload(
    settings: Settings,
    store: Store,
    validator: Validator,
    body: bytes,
    fmt: RdfFormat,
    *,
    keep_triples: bool = False,
    want_turtle: bool = False,
) -> CheckedUpload:
    """Parse and validate `body` in a forked process bounded by the upload limits.

    The child parses (CCMKG_MAX_UPLOAD_TRIPLES), asks this process for the store's context
    of the IRIs it found (the child never touches the store), validates, and sends back the
    report (and the triples as N-Triples when `keep_triples`). Its address space is capped at
    CCMKG_VALIDATE_MEMORY_MB over what it inherits, its life at CCMKG_VALIDATE_TIMEOUT_S.

    Raises:
        InputError (400, 413): unreadable, refused before parsing, or too many triples.
        InputCrashed (400): the parser died on it (the server did not).
        UploadTooLarge (413): it needed more memory than allowed.
        ValidationTimeout (503): it took longer than allowed.
    """

    def job(ask: Ask) -> tuple[dict[str, Any], str | None, str, int]:
        parsed = parse_rdf(
            body, fmt, source="body", timeout_s=settings.parse_timeout_s,
            max_triples=settings.max_upload_triples,
        )  # fmt: skip
        context = ntriples_to_rdflib(ask(mentioned_iris(parsed.graph)))
        report = validator.validate_in_context(parsed, context)
        turtle = report.turtle if want_turtle else None
        return report.as_dict(), turtle, parsed.ntriples if keep_triples else "", len(parsed)

    def answer(iris: list[str]) -> str:
        return context_of(store, iris).serialize(format="nt")

    memory_mb = settings.validate_memory_mb
    try:
        data, turtle, ntriples, count = run_isolated(
            job,
            timeout_s=settings.validate_timeout_s,
            memory_bytes=memory_mb * 2**20,
            answer=answer,
        )
    except IsolatedTimeout:
        raise ValidationTimeout(
            f"Parsing and validating the upload took longer than {settings.validate_timeout_s:g}"
            " s and was stopped (CCMKG_VALIDATE_TIMEOUT_S).",
            hint="Split the data into smaller uploads.",
        ) from None
    except IsolatedMemory:
        raise UploadTooLarge(
            f"Parsing and validating the upload needed more than {memory_mb} MB and was "
            "stopped (CCMKG_VALIDATE_MEMORY_MB).",
            hint="Split the data into smaller uploads.",
        ) from None
    except IsolatedCrash as exc:
        raise InputCrashed(
            "The RDF parser failed on this input and was stopped (it ran in a process of its "
            f"own, exit status {exc.exitcode}; the server is unaffected).",
            hint="The input is probably nested too deeply (triple terms, JSON-LD objects or "
            "term definitions); flatten it.",
        ) from None
    return CheckedUpload(Report.from_dict(data, turtle), ntriples, count)


def ingest_checked(
    settings: Settings,
    store: Store,
    checked: CheckedUpload,
    body: bytes,
    *,
    submitter: str,
    note: str,
) -> Submission:
    """Write an upload `check_upload(..., keep_triples=True)` found conforming.

    Raises:
        InputError: it holds no triple.
        NotConformant: the report has violations; the store is untouched.
        StoreError: the write failed; the store is untouched.
    """
    _refuse_empty(checked.triples, checked.source)
    _refuse_violations(checked.report)
    return _write(settings, store, checked.graph(), body, submitter=submitter, note=note)


def _refuse_empty(triples: int, source: str) -> None:
    if triples == 0:
        # An empty submission would be recorded as accepted although nothing was taken (e.g.
        # JSON-LD whose every @id is relative: such nodes are dropped by the parser).
        raise InputError(
            f"{source}: the upload holds no triple; nothing was written",
            hint="Check the data: JSON-LD nodes need absolute @id IRIs (relative ones are "
            "dropped), and a document of prefixes or comments only carries no data.",
        )


def _refuse_violations(report: Report) -> None:
    if not report.conforms:
        raise NotConformant(
            f"{report.counts['Violation']} SHACL violation(s); nothing was written",
            report,
            hint="Fix each result listed, then submit again.",
        )


def ingest(
    settings: Settings,
    store: Store,
    validator: Validator,
    parsed: ParsedRdf,
    body: bytes,
    *,
    submitter: str,
    note: str,
) -> tuple[Submission, Report]:
    """Validate, then write the upload and its provenance record together.

    Raises:
        NotConformant: the upload has violations; the store is untouched.
        StoreError: the write failed; the store is untouched.
    """
    _refuse_empty(len(parsed.graph), parsed.source)
    report = validator.validate_upload(parsed, store)
    _refuse_violations(report)
    return _write(settings, store, parsed.graph, body, submitter=submitter, note=note), report


def _write(
    settings: Settings, store: Store, graph: Graph, body: bytes, *, submitter: str, note: str
) -> Submission:
    """The upload's graph and its provenance record, in one write."""
    submission_id = uuid.uuid4().hex
    sub = Submission(
        id=submission_id,
        graph=graph_iri(settings, submission_id),
        submitter=submitter,
        time=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        note=note,
        sha256=hashlib.sha256(body).hexdigest(),
        triples=len(graph),
    )
    store.replace_graphs({sub.graph: graph, provenance_iri(settings, sub.id): _record(sub)})
    return sub


def _record(sub: Submission) -> Graph:
    """The provenance record: PROV-O, DCTERMS and an SPDX checksum of the exact body."""
    g = Graph()
    node = URIRef(sub.graph)
    checksum = BNode()
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, DCTERMS.identifier, Literal(sub.id)))
    g.add((node, DCTERMS.creator, Literal(sub.submitter)))
    g.add((node, PROV.generatedAtTime, Literal(sub.time, datatype=XSD.dateTime)))
    g.add((node, RDFS.comment, Literal(sub.note)))
    g.add((node, VOID.triples, Literal(sub.triples)))
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sub.sha256)))
    return g


def _from_record(settings: Settings, submission_id: str, g: Graph) -> Submission | None:
    node = URIRef(graph_iri(settings, submission_id))
    if (node, RDF.type, PROV.Entity) not in g:
        return None
    checksum = g.value(node, SPDX.checksum)
    return Submission(
        id=submission_id,
        graph=str(node),
        submitter=str(g.value(node, DCTERMS.creator) or ""),
        time=_iso(g.value(node, PROV.generatedAtTime)),
        note=str(g.value(node, RDFS.comment) or ""),
        sha256=str(g.value(checksum, SPDX.checksumValue) or "") if checksum else "",
        triples=int(str(g.value(node, VOID.triples) or 0)),
    )


def _iso(value: object) -> str:
    """The record's time as written at ingest (stores may hand it back as +00:00)."""
    when = value.toPython() if isinstance(value, Literal) else None
    if isinstance(when, datetime):
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value or "")


def list_submissions(settings: Settings, store: Store) -> list[Submission]:
    """Every accepted upload still in the store, oldest first."""
    scheme = IriScheme(settings.base_iri)
    out = []
    for name in store.graphs():
        parsed = scheme.parse(name)
        if parsed and parsed[0] == "upload-provenance-graph":
            sid = parsed[1]["key"]
            if _ID.match(sid):
                sub = _from_record(settings, sid, store.graph_triples(name))
                if sub is not None:
                    out.append(sub)
    return sorted(out, key=lambda s: (s.time, s.id))


def delete_submission(settings: Settings, store: Store, submission_id: str) -> None:
    """Remove an upload's graph and its record together.

    Raises:
        NotFound: no such submission.
    """
    prov = provenance_iri(settings, submission_id)
    if not _ID.match(submission_id) or prov not in store.graphs():
        raise NotFound(f"no submission {submission_id!r}", hint="GET /ingest lists them.")
    store.replace_graphs({}, delete=[graph_iri(settings, submission_id), prov])


# One re-derivation at a time in this process: a run reads the facts when it starts, so the
# run after the last write sees that write (two at once could end with the older answer).
_RULES_LOCK = threading.Lock()
log = logging.getLogger(__name__)
LAG_HINT = (
    "The upload is stored; derived terms and deadlines may lag behind it until the rules run "
    "again (`ccmkg load`, or another upload)."
)


def rederive(settings: Settings, store: Store, validator: Validator) -> dict[str, Any] | None:
    """The rules again (ccmkg.rules) after an upload was written or removed, so that derived
    terms and deadlines follow it as they follow `ccmkg load`; None without reference data
    (the rules derive nothing then).

    The upload itself is already committed: any failure here is reported, not raised, so that
    the caller still learns what was written (`error`; `ccmkg load` runs the rules again). A
    client told "500" would send the upload again, and store it twice.
    """

    def check(graph: Graph, context: Graph | None) -> Verdict:
        report = validator.validate(graph, context=context)
        return report.conforms, report.violation_lines()

    try:
        with _RULES_LOCK:
            report = rederive_if_reference(store, settings.base_iri, check)
    except CcmKgError as exc:
        return {"error": exc.message, "hint": LAG_HINT}
    except Exception:  # a fault of ours: logged with its trace, said plainly to the client
        log.exception("the rules failed after an upload was written or removed")
        return {"error": "The rules failed to run again (an internal error).", "hint": LAG_HINT}
    if report is None:
        return None
    return {
        "statements": dict(report.derived),
        "rejected": report.rejected,
        "rewritten": report.rewritten,
    }
