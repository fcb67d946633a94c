"""The OpenAPI document, made true: what every operation can answer, and in which media types.

FastAPI documents 200 and 422 only; the router and the middlewares answer more. Added here to
every operation, with our error body (`ErrorBody`): 404/405 (the router), 408/413 (the body
limits), 500 (the catch-all), and 503 where a store is queried. Schemathesis checks the
document against the server with all its checks (tests/reliability/test_api_fuzz.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ccmkg.api.rest.listing import FORMAT_PATTERN

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
ERROR_CONTENT = {"application/json": {"schema": ERROR_REF}}
COMMON: dict[str, str] = {
    "405": "This method is not allowed on this path (see the Allow header).",
    "408": "The request body was not complete in time (CCMKG_BODY_TIMEOUT_S).",
    "413": "The request body is larger than this path accepts.",
    "500": "The server failed; the log has the details.",
    "503": "The store is unavailable, or a time or memory limit was reached.",
}
PATH_PARAMS = {
    "404": "Nothing is known under this identifier.",
}


def install_openapi(app: FastAPI) -> None:
    """Replace app.openapi by one that documents every status the server can answer."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorBody" not in schema["components"]["schemas"]:
            from ccmkg.api.rest.models import ErrorBody

            schema["components"]["schemas"]["ErrorBody"] = ErrorBody.model_json_schema()
        for path, operations in schema.get("paths", {}).items():
            for _method, op in operations.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                extra = dict(COMMON)
                if "{" in path:
                    extra.update(PATH_PARAMS)
                for status, text in extra.items():
                    op["responses"].setdefault(
                        status, {"description": text, "content": ERROR_CONTENT}
                    )
                _error_bodies(op)
                _blank_means_default(op)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _error_bodies(op: dict[str, Any]) -> None:
    """Every documented 4xx/5xx carries our error body, in JSON."""
    for status, response in op["responses"].items():
        if status[0] in "45" and "content" not in response:
            response["content"] = ERROR_CONTENT


# rest/listing.py reads `?limit=`, `?offset=` and `?format=` left empty as their defaults (a
# form left blank), as does /validate/store its window; the document says so, instead of
# calling an accepted request invalid.
BLANK_IS_DEFAULT = frozenset({"limit", "offset"})
LIST_FORMATS = {"enum": ["json", "csv"], "type": "string"}


def _blank_means_default(op: dict[str, Any]) -> None:
    for param in op.get("parameters", []):
        schema = param.get("schema", {})
        paging = param.get("name") in BLANK_IS_DEFAULT and schema.get("type") == "integer"
        list_format = param.get("name") == "format" and LIST_FORMATS in schema.get("anyOf", [])
        if paging or list_format:
            param["allowEmptyValue"] = True  # `?offset=` is the default, not an error
        if list_format:  # any case, spaces around: what rest/listing.py reads
            schema["anyOf"] = [
                {"type": "string", "pattern": FORMAT_PATTERN, "examples": ["json", "csv"]}
                if alt == LIST_FORMATS
                else alt
                for alt in schema["anyOf"]
            ]
