"""Errors named by who must act on them; the API maps each to a status code and a stable code."""

from __future__ import annotations


class CcmKgError(Exception):
    """Base class: carries a stable machine code, a message for a person, and a hint."""

    code = "error"
    status = 500

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
