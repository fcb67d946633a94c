"""What minutes say about other meetings: earlier minutes approved, and the next meeting.

The patterns are rules (loaders/rules/minutes.yaml). Minutes approvals record every date
stated for the approved minutes; two different dates produce a ConflictRecord.
"""

from __future__ import annotations

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.prefilter import Prefiltered
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.records import ConflictRecord, MinutesApprovalRecord, NextMeetingRecord
from ccmkg.loaders.segment import Paragraph


def read_minutes_approvals(ctx: Ctx) -> None:
    """'The minutes of the meeting held on D were approved'; two dates -> a conflict."""
    approved = rule("minutes", "minutes-approved")
    if approved.requires is None:
        raise ValueError("minutes.yaml: minutes-approved must say what it `requires`")
    verb, minutes = approved, Prefiltered(approved.requires)
    for p in ctx.paras:
        if not minutes.search(p.text) or not verb.search(p.text):
            continue
        for s, e, sent in sentences(p):
            if not (minutes.search(sent) or p.kind == "heading"):
                continue
            # the verb may be in the section's title: "3. Approval of the minutes"
            if not (verb.search(sent) or (p.section and verb.search(p.section_title or ""))):
                continue
            for d in md.find_dates(sent, ctx.years):
                if d.date:
                    pas = ctx.passage(s, e, p.section)
                    ctx.ex.minutes_approvals.append(MinutesApprovalRecord(d.date, pas))
    distinct = sorted({a.minutes_date for a in ctx.ex.minutes_approvals if a.minutes_date})
    if len(distinct) > 1:
        ctx.ex.conflicts.append(
            ConflictRecord(
                "date of the approved minutes",
                [a.passage for a in ctx.ex.minutes_approvals],
                [d.isoformat() for d in distinct],
            )
        )


def read_next_meeting(ctx: Ctx) -> None:
    """The next meeting announced: date (or the words used), time and venue; the first one."""
    announced = rule("minutes", "next-meeting-announced")
    month = rule("minutes", "next-meeting-in-a-month")
    at_venue = rule("minutes", "next-meeting-venue")
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        for s, e, sent in sentences(p):
            nm = announced.search(sent)
            if not nm or not announced.required(sent, nm):
                continue
            tail = sent[nm.start() :]
            dates = [d for d in md.find_dates(tail, ctx.years) if d.date]
            date = dates[0] if dates else None
            date_text = date.text if date else None
            if not date:
                mo = month.search(tail)
                date_text = month.value("date_text", mo) if mo else None
            if not date and not date_text:
                continue
            vm = at_venue.search(sent)
            venue = at_venue.value("venue", vm).strip(" ,") if vm else None
            if venue is None:
                host = _host_venue(ctx, p)
                if host:  # the passage then spans both sentences: date and venue
                    venue, s, e = host[0], min(s, host[1]), max(e, host[2])
            ctx.ex.next_meeting = NextMeetingRecord(
                ctx.passage(s, e, p.section),
                date.date if date else None,
                date_text.strip(" .,;") if date_text else None,
                md.find_start_time(tail),
                venue,
                date_inferred=bool(date and date.inferred),
            )
            return


def _host_venue(ctx: Ctx, p: Paragraph) -> tuple[str, int, int] | None:
    """'X has offered to host the next meeting … at their mission …' in the same paragraph:
    (venue, sentence start, sentence end)."""
    host = rule("minutes", "next-meeting-host")
    at_venue = rule("minutes", "next-meeting-venue")
    for s, e, sent in sentences(p):
        nm = host.search(sent)
        if nm and host.required(sent, nm):
            vm = at_venue.search(sent[nm.end() :])
            if vm:
                return at_venue.value("venue", vm).strip(" ,"), s, e
    return None
