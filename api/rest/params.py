"""Query parameters a person types → values the named queries take, or a 422 that says why.

Parameters arrive as strings and are checked here (not by FastAPI's validator) so that every
bad parameter gets the same `{"code","message","hint"}` body, with the valid values listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ccmkg.errors import BadParameter
from ccmkg.model.iri import IriScheme
from ccmkg.model.resolve import resolver
from ccmkg.model.vocab import Scheme, vocabulary
from ccmkg.model.vocab import Term as Area
from ccmkg.settings import Settings

DATE_HINT = "Write dates as YYYY-MM-DD, e.g. 2016-05-26."
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

ARTICLES = tuple(sorted(vocabulary().articles))


def parse_date(name: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r} is not a date.", DATE_HINT) from None


def parse_int(name: str, value: str | None, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise BadParameter(
            f"{name}={value!r} is not a whole number between {low} and {high}.",
            f"Pass {name} as an integer from {low} to {high}.",
        )
    return number


def parse_area(value: str | None) -> Area | None:
    if not value:
        return None
    area = vocabulary().areas.resolve(value)
    if area is None:
        slugs = ", ".join(vocabulary().areas.slugs)
        raise BadParameter(
            f"Unknown thematic area {value!r}.",
            f"Use one of: {slugs} (or any of their labels, e.g. 'Universalisation').",
        )
    return area


def parse_state(settings: Settings, value: str | None) -> str | None:
    """The IRI of the State named by ISO alpha-3, alpha-2, any name or alias, or its IRI."""
    if not value:
        return None
    key = IriScheme(settings.base_iri).key("state", value.strip())
    if key is not None:
        return state_iri(settings, key)
    hit = resolver().state(value, codes=True)
    if hit is None:
        raise BadParameter(
            f"Unknown State {value!r}.",
            "Use an ISO 3166-1 alpha-3 or alpha-2 code (NLD, NL), a name such as 'Netherlands', "
            "or the State's IRI.",
        )
    return state_iri(settings, hit[0])


def parse_choice(name: str, value: str | None, choices: list[str]) -> str | None:
    if not value:
        return None
    folded = value.strip().lower()
    if folded not in choices:
        raise BadParameter(
            f"{name}={value!r} is not allowed.", f"Use one of: {', '.join(choices)}."
        )
    return folded


def state_iri(settings: Settings, iso3: str) -> str:
    return str(IriScheme(settings.base_iri).mint("state", key=iso3))


@dataclass(frozen=True)
class Period:
    """The closed interval of days a filter asks about; None at either end is unbounded."""

    start: dt.date | None
    end: dt.date | None

    def bindings(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        return out


def parse_period(
    on: str | None = None, year: str | None = None, start: str | None = None, end: str | None = None
) -> Period:
    """`on`, `year` and `from`/`to` as one interval; they combine by intersection."""
    lows: list[dt.date] = []
    highs: list[dt.date] = []
    day = parse_date("on", on)
    if day:
        lows.append(day)
        highs.append(day)
    y = parse_int("year", year, 1900, 2200)
    if y is not None:
        lows.append(dt.date(y, 1, 1))
        highs.append(dt.date(y, 12, 31))
    low = parse_date("from", start)
    high = parse_date("to", end)
    if low:
        lows.append(low)
    if high:
        highs.append(high)
    period = Period(max(lows) if lows else None, min(highs) if highs else None)
    if period.start and period.end and period.start > period.end:
        raise BadParameter(
            "The period asked for is empty (its start is after its end).",
            "Check that from <= to and that on/year fall inside from/to.",
        )
    return period


def parse_term(name: str, value: str | None, scheme: Scheme) -> str | None:
    """The slug of a vocabulary term a person names by slug, label or alias (kind=MSP)."""
    if not value:
        return None
    term = scheme.resolve(value)
    if term is None:
        raise BadParameter(
            f"{name}={value!r} is not allowed.", f"Use one of: {', '.join(scheme.slugs)}."
        )
    return term.slug
