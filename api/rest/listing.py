"""List answers: the `ListParams` every list takes, and the `Listing` every list service returns.

A `Listing` cannot be built without the store answers (`Rows`) its items were folded from, and
its `truncated` is read off them: a list cut by the row cap is never reported as complete,
whichever filters ran afterwards. `output.page_answer` renders it, with the truncation both in
the JSON body and in the `X-Result-Truncated` header (JSON and CSV alike).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ccmkg.api.rest.params import DEFAULT_LIMIT, MAX_LIMIT, parse_choice
from ccmkg.store import Rows

CSV = "text/csv"
MAX_OFFSET = 10**9
TRUNCATED_HEADER = "X-Result-Truncated"
LIMIT_DOC = f"Items per page: a whole number from 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"
OFFSET_DOC = f"Items to skip: a whole number from 0 to {MAX_OFFSET} (default 0)"
FORMAT_DOC = "json or csv; without it, the Accept header decides (default json)"
SOURCES_DOC = (
    "all (default): every item with its `sources`; none: items without the `sources` field, "
    "and no passage read (faster: who, what and when without the citations)"
)
SOURCES = ["all", "none"]

Format = Literal["json", "csv"]
Item = TypeVar("Item", bound=BaseModel, covariant=True)


def blank_is(default: Any) -> Callable[[Any], Any]:
    """An empty parameter (`?limit=`) means its default, as when it is left out."""

    def before(value: Any) -> Any:
        return default if value == "" else value  # only empty: `?limit=%0A` is a 422

    return before


# What `?format=` accepts, in any case, with spaces or tabs around it; /openapi.json declares
# this pattern (api/openapi.py), so that the document and the parser say the same.
FORMAT_PATTERN = r"^[ \t]*([jJ][sS][oO][nN]|[cC][sS][vV])[ \t]*$"


def _folded(value: Any) -> Any:
    """`CSV`, ` csv ` → `csv`; an empty value is no choice; anything else is left to fail."""
    if value == "":
        return None
    found = re.fullmatch(FORMAT_PATTERN, value) if isinstance(value, str) else None
    return found.group(1).lower() if found else value


class ListParams(BaseModel):
    """Paging and output format of a list answer, checked before any query runs."""

    model_config = ConfigDict(frozen=True)

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DOC)
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=OFFSET_DOC)
    format: Format = Field("json", description="The format of the answer, as negotiated")


def list_params(
    request: Request,
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_LIMIT, description=LIMIT_DOC),
        BeforeValidator(blank_is(DEFAULT_LIMIT)),
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description=OFFSET_DOC), BeforeValidator(blank_is(0))
    ] = 0,
    format: Annotated[
        Format | None, Query(description=FORMAT_DOC), BeforeValidator(_folded)
    ] = None,
) -> ListParams:
    """FastAPI dependency: `limit`, `offset` and `format` of a list route.

    A bad value is a 422 `{code, message, hint}` (main.create_app's handler), whose hint quotes
    the constraint documented here and shown in /openapi.json. (Query before the validator:
    the other way round, FastAPI writes `ge`/`le` into the schema instead of min/maximum.)
    """
    return ListParams(limit=limit, offset=offset, format=format or negotiated_format(request))


def with_sources(
    sources: Annotated[str | None, Query(description=SOURCES_DOC)] = None,
) -> bool:
    """FastAPI dependency of a list whose items cite passages: False for `sources=none`.

    Why: a timeline or a dashboard needs who, what and when; reading and sending every
    item's passages is most of the time of such a list (issue #16). The default stays every
    source (a citation needs them). Any other value is a 422 with the values allowed."""
    return parse_choice("sources", sources, SOURCES) != "none"


def negotiated_format(request: Request) -> Format:
    """CSV when the Accept header names text/csv before application/json, else JSON."""
    ranked = [
        part.split(";")[0].strip().lower() for part in request.headers.get("accept", "").split(",")
    ]
    if CSV not in ranked or "application/json" in ranked[: ranked.index(CSV)]:
        return "json"
    return "csv"


class Listing(Generic[Item]):
    """The items of a list answer, and the answers they came from.

    Either every item (`offset` 0, `total` None), or a window of them: the items from `offset`
    on of a list of `total` (a list that reads its passages for the page only, issue #16).
    `truncated` is True when any of those answers was cut by the store's row cap; there is no
    other way to set it, so a list read from a cut answer always says so.
    """

    __slots__ = ("answers", "items", "offset", "total")

    def __init__(
        self, items: Sequence[Item], *answers: Rows, total: int | None = None, offset: int = 0
    ) -> None:
        if not answers:
            raise TypeError("a Listing needs the store answers its items were read from")
        self.items: tuple[Item, ...] = tuple(items)
        self.answers: tuple[Rows, ...] = answers
        self.offset = offset
        self.total = len(self.items) if total is None else total

    @property
    def truncated(self) -> bool:
        return any(answer.truncated for answer in self.answers)

    def window(self, offset: int, limit: int) -> tuple[Item, ...]:
        """The items from `offset` (in the whole list), at most `limit` of them."""
        start = max(0, offset - self.offset)
        return self.items[start:][:limit] if offset >= self.offset else ()

    def __len__(self) -> int:
        return self.total
