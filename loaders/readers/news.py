"""News items about a Coordination Committee meeting: the meeting (day, venue, host) and the
delegations the item places there.

Only what the item says is read: a host named without a State keeps the person (the chair's
State stays unknown); "attended by 22 members, including A of X" gives X, not 22 delegations.
"""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.gazetteer import person
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.records import AttendanceRecord, MeetingRecord, ParticipantRecord, Passage

# "at Shiva Restaurant in Geneva", "at the Permanent Mission of X": the place after the day.
_VENUE = re.compile(
    r"\bat\s+(?P<venue>(?:the\s+)?[A-Z][^,.;]*?)"
    r"(?:\s+in\s+(?P<city>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?))?\s*(?:[.;,]|$)"
)
_ROLE_TAIL = re.compile(r"\s+of\s+(?:the\s+)?[A-Z].*$")


def read_committee_news(ctx: Ctx) -> None:
    """The first sentence saying who hosted which Committee meeting, when and where."""
    rx = rule("news", "host-held-committee-meeting").pattern
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            m = rx.search(sent)
            if not m:
                continue
            rest = m.group("rest")
            days = [d for d in md.find_dates(rest) if d.date and not d.inferred]
            if not days:
                continue
            after = rest[days[0].end :]
            v = _VENUE.search(after)
            venue = None
            if v:
                venue = v.group("venue") + (f", {v.group('city')}" if v.group("city") else "")
            host_text = m.group("host")
            desc = (m.group("desc") or "") + " " + host_text
            states = ctx.gz.find_states(desc)
            pas = ctx.passage(s, e, p.section)
            ctx.ex.meeting = MeetingRecord(
                "coordination-committee",
                days[0].date,
                pas,
                venue=venue,
                chair=ctx.state_ref(states[0].key, states[0].written) if states else None,
                chair_person=person(_ROLE_TAIL.sub("", host_text)),
            )
            ctx.ex.meeting.date_rule = "stated"
            if states:
                _attend(ctx, states[0].key, states[0].written, host_text, pas)
            return


def read_committee_attendance(ctx: Ctx) -> None:
    """'attended by N members, including Ambassador A of X, …': X attended, with A."""
    rx = rule("news", "attended-by-members-including").pattern
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            m = rx.search(sent)
            if not m:
                continue
            pas = ctx.passage(s, e, p.section)
            for part in re.split(r",|;|\band\b", m.group("list")):
                hits = ctx.gz.find_states(part)
                if hits:
                    who = part[: hits[0].start]
                    _attend(ctx, hits[0].key, hits[0].written, who, pas)


def _attend(ctx: Ctx, key: str, written: str, who: str, pas: Passage) -> None:
    name = re.sub(r"\s+of(?:\s+the)?\s*$", "", _ROLE_TAIL.sub("", who).strip(" ,"))
    ref = person(name) if len(name.split()) >= 2 else None
    for a in ctx.ex.attendance:
        if a.actor.key == key:
            return
    att = AttendanceRecord(ctx.state_ref(key, written), pas)
    if ref is not None and ref.name:
        att.participants.append(ParticipantRecord(ref, pas))
    ctx.ex.attendance.append(att)
