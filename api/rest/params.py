"""Query parameters a person types → values the named queries take, or a 422 that says why.

Parameters arrive as strings and are checked here (not by FastAPI's validator) so that every
bad parameter gets the same `{"code","message","hint"}` body, with the valid values listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ccmkg.errors import BadParameter
from ccmkg.naming import Area, area_index, state_index
from ccmkg.settings import Settings

DATE_HINT = "Write dates as YYYY-MM-DD, e.g. 2016-05-26."
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

MEETING_KINDS = {
    "coordination-committee": "CoordinationCommitteeMeeting",
    "friends-of-the-president": "FriendsOfThePresidentMeeting",
    "meeting-of-states-parties": "MeetingOfStatesParties",
    "review-conference": "ReviewConference",
    "intersessional": "IntersessionalMeeting",
    "workshop": "Workshop",
}
ARTICLES = (3, 4, 7)


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
    area = area_index().resolve(value)
    if area is None:
        slugs = ", ".join(area_index().slugs)
        raise BadParameter(
            f"Unknown thematic area {value!r}.",
            f"Use one of: {slugs} (or any of their labels, e.g. 'Universalisation').",
        )
    return area


def parse_state(settings: Settings, value: str | None) -> str | None:
    """The IRI of the State named by ISO alpha-3, alpha-2, or any name or alias."""
    if not value:
        return None
    iso3 = state_index().resolve(value)
    if iso3 is None:
        raise BadParameter(
            f"Unknown State {value!r}.",
            "Use an ISO 3166-1 alpha-3 or alpha-2 code (NLD, NL) or a name such as 'Netherlands'.",
        )
    return state_iri(settings, iso3)


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
    return f"{settings.base_iri}id/state/{iso3}"


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


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def parse_page(limit: str | None, offset: str | None) -> Page:
    lim = parse_int("limit", limit, 1, MAX_LIMIT)
    off = parse_int("offset", offset, 0, 10**9)
    return Page(DEFAULT_LIMIT if lim is None else lim, off or 0)
