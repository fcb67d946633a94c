"""Meeting metadata: dates, times, venue, format, ordinals, meeting references.

Dates written without a year get one from the weekday and the years the document itself mentions;
such dates are marked inferred. Nothing here knows any particular document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from ccmkg.loaders.records import MeetingFormat, MeetingRef

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {
    d: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for d in names
}
_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?:(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_SUF = r"(?:\s*(?:st|nd|rd|th)\b)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
_DATE_DMY = re.compile(
    _WD + r"(?P<day>[0-3]?\d)(?!\d)" + _SUF + r"(?:\s+of)?\s+" + _MON + r"(?![a-z])" + _YEAR,
    re.IGNORECASE,
)
_DATE_MDY = re.compile(
    _WD + _MON + r"\s+(?P<day>[0-3]?\d)(?!\d)" + _SUF + r"(?!\s*[-–]\s*\d)" + _YEAR, re.IGNORECASE
)
_RANGE = re.compile(
    r"(?P<d1>[0-3]?\d)(?:\s*(?P<m1>[A-Za-z]{3,9})\.?)?\s*[-–—]\s*(?P<d2>[0-3]?\d)\s+"
    r"(?P<m2>[A-Za-z]{3,9})\.?(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")
_YEAR_RX = re.compile(r"(?<![\d'’/-])(?:19|20)\d{2}(?![\d'’])")


@dataclass(frozen=True)
class DateMention:
    """A date written in the text (clean offsets); `date` None when it cannot be fixed."""

    start: int
    end: int
    text: str
    date: dt.date | None
    inferred: bool = False
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year_rule: str | None = None  # why the year is what it is (stated, or the inference's reason)


def _build(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def context_years(text: str) -> Counter[int]:
    """Years the document mentions (with multiplicity): the context for year inference."""
    return Counter(int(y) for y in _YEAR_RX.findall(text))


def infer_year(
    month: int, day: int, weekday: int | None, years: Counter[int]
) -> tuple[int | None, str]:
    """Pick the year for a yearless date from the document's own years (and the weekday).

    With a weekday: the context year (or its neighbour) whose calendar matches, preferring the
    most mentioned. Without one: the most mentioned year if it clearly dominates.
    """
    if not years:
        return None, "no years in the document"
    ranked = [y for y, _ in years.most_common()]
    if weekday is not None:
        candidates = ranked + [y + d for y in ranked for d in (-1, 1) if y + d not in years]
        for y in candidates:
            d = _build(y, month, day)
            if d and d.weekday() == weekday:
                return y, f"weekday matches {y}"
        return None, "no context year matches the weekday"
    top = years.most_common(2)
    if len(top) == 1 or top[0][1] > top[1][1]:
        return top[0][0], f"most mentioned year {top[0][0]}"
    return None, "ambiguous context years"


# The Convention was adopted in 2008: no CCM meeting is older. Candidates stop two years ahead.
FIRST_CCM_YEAR = 2008


def year_candidates(
    month: int, day: int, weekday: int | None, last: int | None = None
) -> tuple[int, ...]:
    """Years from 2008 to `last` (today + 2) in which the day exists and, when a weekday is
    written, falls on it: what is known of a yearless date no evidence fixes."""
    last = last if last is not None else dt.date.today().year + 2
    out = []
    for y in range(FIRST_CCM_YEAR, last + 1):
        d = _build(y, month, day)
        if d and (weekday is None or d.weekday() == weekday):
            out.append(y)
    return tuple(out)


def find_dates(text: str, years: Counter[int] | None = None) -> list[DateMention]:
    """Every date in `text`, in order; yearless ones inferred from `years` when possible."""
    # Readers ask about the same lines several times: each (text, years) is read once.
    key = (text, tuple(sorted((years or Counter()).items())))
    hit = _DATES_SEEN.get(key)
    if hit is None:
        if len(_DATES_SEEN) >= 4096:
            _DATES_SEEN.clear()
        hit = _DATES_SEEN[key] = tuple(_find_dates(text, years))
    return list(hit)


_DATES_SEEN: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[DateMention, ...]] = {}


def _find_dates(text: str, years: Counter[int] | None) -> list[DateMention]:
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for rx in (_DATE_DMY, _DATE_MDY, _ISO):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mon_s = m.group("mon").lower().rstrip(".")
            month = int(mon_s) if mon_s.isdigit() else MONTHS.get(mon_s)
            day = int(m.group("day"))
            if not month or not 1 <= day <= 31:
                continue
            wd_s = m.groupdict().get("wd")
            weekday = WEEKDAYS.get(wd_s.lower().rstrip(".")) if wd_s else None
            inferred = False
            if m.group("year"):
                d = _build(int(m.group("year")), month, day)
                rule = "stated"
            else:
                y, rule = infer_year(month, day, weekday, years or Counter())
                d = _build(y, month, day) if y else None
                inferred = d is not None
            taken.append((m.start(), m.end()))
            out.append(
                DateMention(m.start(), m.end(), m.group(0), d, inferred, weekday, month, day, rule)
            )
    return sorted(out, key=lambda x: x.start)


def find_date_range(
    text: str, years: Counter[int] | None = None
) -> tuple[dt.date, dt.date, int, int] | None:
    """'23-27 November 2020' or '30 Aug - 2 Sept 2022' -> (first day, last day, span)."""
    for m in _RANGE.finditer(text):
        m2 = MONTHS.get(m.group("m2").lower())
        m1 = MONTHS.get(m.group("m1").lower()) if m.group("m1") else m2
        if not m1 or not m2:
            continue
        if m.group("year"):
            y = int(m.group("year"))
        else:
            yy, _ = infer_year(m2, int(m.group("d2")), None, years or Counter())
            if yy is None:
                continue
            y = yy
        a = _build(y if m1 <= m2 else y - 1, m1, int(m.group("d1")))
        b = _build(y, m2, int(m.group("d2")))
        if a and b and a <= b:
            return a, b, m.start(), m.end()
    return None


_TIME = r"(?P<{n}h>[0-2]?\d)(?:[:.h](?P<{n}m>[0-5]\d))?\s*(?P<{n}ap>[ap]\.?\s?m\.?)?"
_TIME_RANGE = re.compile(
    r"(?<![\d.:])"
    + _TIME.format(n="a")
    + r"\s*(?:-|–|—|to|until)\s*"
    + _TIME.format(n="b")
    + r"(?:\s*(?:hours|hrs|h)\b)?",
    re.IGNORECASE,
)
_TIME_AT = re.compile(
    r"\bat\s+" + _TIME.format(n="a") + r"(?:\s*(?:hours|hrs|h)\b)?", re.IGNORECASE
)


def _mk_time(h: str | None, m: str | None, ap: str | None) -> dt.time | None:
    if h is None:
        return None
    hour, minute = int(h), int(m or 0)
    if ap:
        ap = ap.lower().replace(".", "").replace(" ", "")
        if ap == "pm" and hour < 12:
            hour += 12
        if ap == "am" and hour == 12:
            hour = 0
    if not (0 <= hour <= 23):
        return None
    return dt.time(hour, minute)


def find_time_range(text: str) -> tuple[dt.time, dt.time, int, int] | None:
    """The first 'HH:MM - HH:MM' (or 'from 10.00 to 11.30 hours') with its span."""
    for m in _TIME_RANGE.finditer(text):
        if not (m.group("am") or m.group("aap")) or not (m.group("bm") or m.group("bap")):
            continue  # "23-27" is a date range, not a time range
        a = _mk_time(m.group("ah"), m.group("am"), m.group("aap"))
        b = _mk_time(m.group("bh"), m.group("bm"), m.group("bap"))
        if a and b:
            return a, b, m.start(), m.end()
    return None


def find_start_time(text: str) -> dt.time | None:
    """A single 'at 10:00 hours' start time."""
    for m in _TIME_AT.finditer(text):
        if m.group("am") or m.group("aap") or re.search(r"hours|hrs", m.group(0)):
            t = _mk_time(m.group("ah"), m.group("am"), m.group("aap"))
            if t:
                return t
    return None


_FORMATS: dict[MeetingFormat, re.Pattern[str]] = {
    "hybrid": re.compile(r"\bhybrid\b", re.IGNORECASE),
    "virtual": re.compile(r"\b(?:virtual|online|videoconference|remote)\b", re.IGNORECASE),
    "in-person": re.compile(r"\bin[- ]person\b", re.IGNORECASE),
}


def find_format(text: str) -> MeetingFormat | None:
    """The meeting format named in a header or title line, if any."""
    for fmt, rx in _FORMATS.items():
        if rx.search(text):
            return fmt
    return None


_UNIT_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
]  # fmt: skip
_TENS = {
    "twenty": "twentieth", "thirty": "thirtieth", "forty": "fortieth", "fifty": "fiftieth",
    "sixty": "sixtieth", "seventy": "seventieth", "eighty": "eightieth", "ninety": "ninetieth",
}  # fmt: skip
# "first" … "nineteenth", then every tens word alone ("thirtieth") or compounded
# ("twenty-first", written with a hyphen or a space): ordinals up to ninety-ninth.
ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        [
            *_UNIT_ORDINALS,
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ],
        start=1,
    )
}
for _n, (_tens, _tenth) in enumerate(_TENS.items(), start=2):
    ORDINAL_WORDS[_tenth] = _n * 10
    for _u, _unit in enumerate(_UNIT_ORDINALS, start=1):
        ORDINAL_WORDS[f"{_tens}-{_unit}"] = _n * 10 + _u
# The alternation for patterns: longest first, a compound's hyphen may be a space or a dash.
ORDINAL_WORDS_RX = "|".join(
    w.replace("-", r"[-\s‐–]") for w in sorted(ORDINAL_WORDS, key=len, reverse=True)
)
_ORD = r"(?P<ord>\d{1,2}\s*(?:st|nd|rd|th|d)\b|" + ORDINAL_WORDS_RX + r")"
_BODY = (
    r"(?:(?:CCM\s+)?Coordination\s+Committee|CorCom|Friends(?:\s+of\s+the\s+President)?"
    r"|Coordinating\s+Committee)"
)
_MEETING_ORDINAL = re.compile(
    r"\b"
    + _ORD
    + r"\s+(?:"
    + _BODY
    + r"\s+meeting|meeting\s+of\s+the\s+"
    + _BODY
    + r")(?P<scope>\s+(?:of|in)\s+(?:19|20)\d{2}|\s+under\s+the\s+[\w .'-]{2,40}?\s+Presidency)?",
    re.IGNORECASE,
)


def ordinal_value(token: str) -> int | None:
    """'4rd' -> 4 (the suffix is not trusted), 'third' -> 3."""
    t = re.sub(r"[\s‐–-]+", "-", token.strip().lower())
    if t in ORDINAL_WORDS:
        return ORDINAL_WORDS[t]
    m = re.match(r"(\d{1,2})", t)
    return int(m.group(1)) if m else None


def find_meeting_ordinal(text: str) -> tuple[int, str | None, int, int] | None:
    """(ordinal, scope, start, end) for 'the 4th Coordination Committee meeting of 2016'."""
    m = _MEETING_ORDINAL.search(text)
    if not m:
        return None
    n = ordinal_value(m.group("ord"))
    if n is None:
        return None
    scope = " ".join(m.group("scope").split()) if m.group("scope") else None
    return n, scope, m.start(), m.end()


_MEETING_REF = re.compile(
    r"\b(?:(?P<n>\d{1,2})\s*(?:st|nd|rd|th)?\s*(?P<k>MSP|RC)\b"
    r"|(?P<n2>\d{1,2}(?:st|nd|rd|th)|"
    + ORDINAL_WORDS_RX
    + r")\s+(?P<k2>Meeting\s+of\s+(?:the\s+)?States\s+Parties|MSP|Review\s+Conference))",
    re.IGNORECASE,
)


def find_meeting_refs(text: str) -> list[tuple[MeetingRef, int, int]]:
    """MSP / Review Conference mentions: '6MSP', '6 MSP', '10th Meeting of States Parties'."""
    out = []
    for m in _MEETING_REF.finditer(text):
        tok = m.group("n") or m.group("n2")
        kind_s = (m.group("k") or m.group("k2") or "").lower()
        n = ordinal_value(tok)
        if n is None:
            continue
        if kind_s.startswith("rc") or "review" in kind_s:
            ref = MeetingRef("review-conference", n, f"{n}RC")
        else:
            ref = MeetingRef("meeting-of-states-parties", n, f"{n}MSP")
        out.append((ref, m.start(), m.end()))
    return out


_VENUE_LINE = re.compile(r"^(?:venue\s*:\s*|at\s+(?:the\s+)?|in\s+)(?P<v>.+)$", re.IGNORECASE)
VENUE_WORDS = re.compile(
    r"\b(?:mission|room|palais|maison|centre|center|hall|hotel|embassy|building|house|"
    r"conference|tower|geneva|ministry)\b",
    re.IGNORECASE,
)


def venue_from_line(line: str) -> str | None:
    """'at the Permanent Mission of X, from 10:00 - 11:00 hours' -> 'Permanent Mission of X'."""
    m = _VENUE_LINE.match(line.strip())
    if not m:
        return None
    v = m.group("v")
    tr = find_time_range(v)
    if tr:
        v = v[: tr[2]]
    v = re.sub(r"\s*,?\s*(?:from|between|at)\s*$", "", v.strip())
    v = v.strip(" ,;.")
    return v if v and VENUE_WORDS.search(v) else None


# Where a run-on head line stops being the venue: a time, a numbered section, a list label.
_VENUE_STOP = re.compile(
    r",?\s*(?:from|between)\s+\d|\s\d{1,2}\.\s+[A-Z]|\b(?:Present|PRESENT)\s*:", re.UNICODE
)


def venue_after_date(line: str, dates: list[DateMention]) -> str | None:
    """'Held on <date> at the Permanent Mission of X, from 10:00 …' -> 'Permanent Mission of X':
    the venue of a head line that also carries the date (joined lines, run-on headers)."""
    if not dates:
        return None
    rest = line[dates[0].end :].lstrip(" ,")
    stop = _VENUE_STOP.search(rest)
    return venue_from_line(rest[: stop.start()] if stop else rest)
