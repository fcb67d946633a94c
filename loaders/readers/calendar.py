"""Numbered meetings as calendar facts: dates and city, from a sentence or from a heading
naming the meeting followed by its 'City, d1-d2 Month YYYY' line.

One record per meeting and document: a later statement fills what an earlier one left
unknown; a statement that contradicts it is reported (warning) and not merged.
"""

from __future__ import annotations

import datetime as dt
import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import OTHER_TREATY, Ctx, sentences
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.records import CalendarMeetingRecord, MeetingRef

_PLANNED = re.compile(
    r"\b(?:will|would|shall|to\s+be)\s+(?:be\s+held|take\s+place|convene)|\bscheduled\b|\bupcoming\b",
    re.I,
)
_HELD = re.compile(r"\b(?:took\s+place|take\s+place|held|convened|joined)\b", re.I)
_NOT_CITY = re.compile(
    r"^(?:Parties|Conference|Meeting|States|The|This|Part|Day|Session|Geneva\s+Progress)\b|"
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_WEEKDAY_LINE = re.compile(
    r"^\s*(?:MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)\s+\d{1,2}\s+[A-Z]+\s+\d{4}\s*$",
    re.I,
)


def _mon(text: str | None) -> int | None:
    if not text:
        return None
    t = text.lower().rstrip(".")
    return md.MONTHS.get(t) or md.MONTHS.get(t[:3])


def find_range(ctx: Ctx, text: str) -> tuple[dt.date | None, dt.date | None, int, int] | None:
    """(first day, last day, start, end) of a day range; days None when the year is unknown."""
    m = rule("calendar", "day-range").search(text)
    if not m:
        return None
    if m.group("d1b"):
        d1, d2, m1, m2, y = (
            m.group("d1b"),
            m.group("d2b"),
            m.group("m1b"),
            m.group("m1b"),
            m.group("yb"),
        )
    else:
        d1, d2, m1, m2, y = m.group("d1"), m.group("d2"), m.group("m1"), m.group("m2"), m.group("y")
    mon2 = _mon(m2)
    mon1 = _mon(m1) or mon2
    year = int(y) if y else None
    if year is None and ctx.ex.document.date is not None:
        year = ctx.ex.document.date.year
    if year is None and mon2:
        year, _ = md.infer_year(mon2, int(d2), None, ctx.years)
    try:
        a = dt.date(year, mon1, int(d1)) if year and mon1 else None
        b = dt.date(year, mon2, int(d2)) if year and mon2 else None
    except ValueError:
        return None
    return a, b, m.start(), m.end()


def find_city(ctx: Ctx, text: str) -> str | None:
    """A city written beside the dates or after 'in'/'at' (never a State, a month or a title)."""
    for name in ("city-before-range", "range-then-city", "in-city"):
        for m in rule("calendar", name).finditer(text):
            city = m.group("city")
            words = city.split()
            if len(words) == 2 and _NOT_CITY.match(words[0]):
                city = words[1]
            if _NOT_CITY.match(city) or ctx.gz.find_states(city) or ctx.gz.find_orgs(city):
                continue
            if re.search(r"(?:Palais|Centre|Center|Nations|Hall)$", city):
                continue
            return city
    return None


def add_calendar(ctx: Ctx, rec: CalendarMeetingRecord) -> None:
    """Keep a statement that adds to what the document already says of the meeting (each
    keeps its own passage); drop one that adds nothing; report one that contradicts."""
    same = [o for o in ctx.ex.calendar if _key(o) == _key(rec)]
    for old in same:
        pairs = [(old.start, rec.start), (old.end, rec.end), (old.city, rec.city)]
        if any(a is not None and b is not None and a != b for a, b in pairs):
            ctx.warn(
                f"{rec.meeting.label}: dates or city differ from an earlier statement", rec.passage
            )
            return
    known = merged(same)
    if known is not None and all(
        b is None or a is not None
        for a, b in [(known.start, rec.start), (known.end, rec.end), (known.city, rec.city)]
    ):
        return  # nothing new
    ctx.ex.calendar.append(rec)


def _key(c: CalendarMeetingRecord) -> tuple[str, int | None]:
    return c.meeting.kind, c.meeting.ordinal


def merged(records: list[CalendarMeetingRecord]) -> CalendarMeetingRecord | None:
    """What a document's statements about one meeting say together (first passage kept)."""
    if not records:
        return None
    first = records[0]
    out = CalendarMeetingRecord(first.meeting, first.passage, planned=first.planned)
    for r in records:
        out.start = out.start or r.start
        out.end = out.end or r.end
        out.city = out.city or r.city
    return out


def calendar_by_meeting(records: list[CalendarMeetingRecord]) -> list[CalendarMeetingRecord]:
    """One merged record per meeting, in first-mention order (for scoring and summaries)."""
    keys: list[tuple[str, int | None]] = []
    for r in records:
        if _key(r) not in keys:
            keys.append(_key(r))
    out = [merged([r for r in records if _key(r) == k]) for k in keys]
    return [r for r in out if r is not None]


def _pick(refs: list[tuple[MeetingRef, int, int]], anchor: int) -> MeetingRef:
    before = [r for r in refs if r[2] <= anchor]
    return (before[-1] if before else refs[0])[0]


def _named_refs(sent: str) -> list[tuple[MeetingRef, int, int]]:
    """The meetings a sentence names; 'the first Meeting … to be held in X' ranks, not names."""
    rank = rule("calendar", "superlative-not-a-meeting-name").pattern
    out = []
    for ref, a, b in md.find_meeting_refs(sent):
        m = rank.match(sent, a)
        if m and sent[a].islower():
            continue
        out.append((ref, a, b))
    return out


def _unranked(sent: str) -> str:
    """The sentence with 'the first … to be held in X' blanked: X is no meeting's city."""
    rank = rule("calendar", "superlative-not-a-meeting-name").pattern
    return rank.sub(lambda m: " " * len(m.group(0)), sent)


def _read_segments(
    ctx: Ctx,
    sent: str,
    refs: list[tuple[MeetingRef, int, int]],
    s: int,
    e: int,
    section: str | None,
) -> bool:
    """A sentence naming several meetings, each with its own day range ('the 3MSP (11 to 14
    September 2012, Oslo) … the 4MSP took place in Lusaka from 10 to 13 September 2013'):
    each meeting takes the range and city written between it and the next meeting named."""
    rx = rule("calendar", "day-range").pattern
    if len(refs) < 2 or len(rx.findall(sent)) < 2:
        return False
    for k, (ref, a, _) in enumerate(refs):
        stop = refs[k + 1][1] if k + 1 < len(refs) else len(sent)
        segment = sent[0 if k == 0 else a : stop]
        rng = find_range(ctx, segment)
        if rng is None:
            continue
        city = find_city(ctx, segment)
        pas = ctx.passage(s, e, section)
        rec = CalendarMeetingRecord(ref, pas, rng[0], rng[1], city, bool(_PLANNED.search(segment)))
        add_calendar(ctx, rec)
    return True


def read_calendar(ctx: Ctx) -> None:
    """Dates and city of the numbered meetings a document names (see the module docstring)."""
    paras = [p for p in ctx.paras if p.text.strip()]
    for i, p in enumerate(paras):
        for s, e, sent in sentences(p):
            refs = _named_refs(sent)
            if not refs or OTHER_TREATY.search(sent):
                continue
            if _read_segments(ctx, sent, refs, s, e, p.section):
                continue
            rng = find_range(ctx, sent)
            city = find_city(ctx, _unranked(sent))
            pas = ctx.passage(s, e, p.section)
            if rng is None and city is None and len(sent) < 120 and i + 1 < len(paras):
                nxt = paras[i + 1]
                if len(nxt.text) < 80 and not md.find_meeting_refs(nxt.text):
                    rng = find_range(ctx, nxt.text)
                    city = find_city(ctx, nxt.text)
                    pas = ctx.passage(s, nxt.end, p.section)
            elif rng is None and city is not None and not _HELD.search(sent):
                continue  # a city named in passing, not where the meeting was held
            if rng is None and city is None:
                continue
            anchor = rng[2] if rng else (_HELD.search(sent).start() if _HELD.search(sent) else 0)  # type: ignore[union-attr]
            add_calendar(
                ctx,
                CalendarMeetingRecord(
                    _pick(refs, anchor),
                    pas,
                    rng[0] if rng else None,
                    rng[1] if rng else None,
                    city,
                    bool(_PLANNED.search(sent)),
                ),
            )


def read_programme_start(ctx: Ctx, meeting: MeetingRef | None) -> None:
    """A page's first 'MONDAY 5 SEPTEMBER 2031' line is its meeting's first day."""
    if meeting is None:
        return
    for p in ctx.paras:
        if _WEEKDAY_LINE.match(p.text):
            dates = md.find_dates(p.text)
            if dates and dates[0].date:
                add_calendar(
                    ctx, CalendarMeetingRecord(meeting, ctx.para_passage(p), dates[0].date)
                )
            return
