"""Errors named by who must act on them; the API maps each to a status code and a stable code."""

from __future__ import annotations


class CcmKgError(Exception):
    """Base class: carries a stable machine code, a message for a person, and a hint."""

    code = "error"
    status = 500

    # Extra response headers (Retry-After on 429/503); copied onto the HTTP answer.
    headers: dict[str, str] | None = None

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "hint": self.hint}


class InputError(CcmKgError):
    """The caller sent something unreadable or out of bounds: they must fix the input."""

    code = "bad-input"
    status = 400


class UnsupportedMediaType(InputError):
    code = "unsupported-media-type"
    status = 415


class PayloadTooLarge(InputError):
    code = "payload-too-large"
    status = 413


class NotAcceptable(InputError):
    code = "not-acceptable"
    status = 406


class NotFound(InputError):
    code = "not-found"
    status = 404


class BadParameter(InputError):
    code = "bad-parameter"
    status = 422


class QueryRejected(InputError):
    """A SPARQL query refused before or during execution (update, SERVICE, too deep, too slow)."""

    code = "query-rejected"
    status = 400


class QueryTimeout(QueryRejected):
    code = "query-timeout"
    status = 503


class QueryMemoryLimit(QueryTimeout):
    """The query needed more memory than a worker may take (CCMKG_QUERY_MEMORY_MB)."""

    code = "query-memory-limit"
    status = 503


class ResponseTooLarge(QueryTimeout):
    """The answer grew past CCMKG_MAX_RESPONSE_BYTES; nothing of it is sent."""

    code = "response-too-large"
    status = 503


class TooManyRequests(CcmKgError):
    """One client already runs as many queries as it may at once: it must wait for them."""

    code = "too-many-requests"
    status = 429

    def __init__(self, message: str, hint: str = "", retry_after_s: int = 1) -> None:
        super().__init__(message, hint)
        self.headers = {"Retry-After": str(retry_after_s)}


class Busy(CcmKgError):
    """Every slot for this kind of work is taken; the caller may retry after a while."""

    code = "busy"
    status = 503

    def __init__(self, message: str, hint: str = "", retry_after_s: int = 2) -> None:
        super().__init__(message, hint)
        self.headers = {"Retry-After": str(retry_after_s)}


class UploadTooLarge(PayloadTooLarge):
    """An upload needs more than its limits allow (triples, memory): it must be split."""

    code = "upload-too-large"
    status = 413


class ValidationTimeout(InputError):
    """Parsing and validating an upload ran past CCMKG_VALIDATE_TIMEOUT_S."""

    code = "validation-timeout"
    status = 503


class InputCrashed(InputError):
    """The parser or validator died on this input (in its own process; the server lives)."""

    code = "input-crashed-parser"
    status = 400


class NotConformant(CcmKgError):
    """Data failed SHACL validation; `report` holds the results for the data steward."""

    code = "not-conformant"
    status = 422

    def __init__(self, message: str, report: object, hint: str = "") -> None:
        super().__init__(message, hint)
        self.report = report


class Forbidden(CcmKgError):
    code = "forbidden"
    status = 403


class Unauthorized(CcmKgError):
    code = "unauthorized"
    status = 401


class StoreError(CcmKgError):
    """The store failed or is unreachable: the operator must act, the caller may retry."""

    code = "store-unavailable"
    status = 503
