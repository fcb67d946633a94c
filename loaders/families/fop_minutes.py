"""Minutes of a meeting of the Friends of the President: unnumbered topic sections
('Topic – Presenter'), 'As Friend on matters pertaining to …, State' sentences, an
'Action points:' list and a draft agenda with the meeting's date, time and venue."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.families import common as c
from ccmkg.loaders.families.header import body_format, read_document_head
from ccmkg.loaders.records import AgendaItemRecord, MeetingRecord

TITLE = re.compile(r"friends", re.IGNORECASE)


def extract(ctx: c.Ctx) -> None:
    head = read_document_head(ctx, TITLE)
    ex = ctx.ex
    c.read_attendance(ctx)
    c.read_apologies(ctx)
    c.read_sentence_holdings(ctx, friends=True)
    c.read_sentence_holdings(ctx, friends=False)
    _draft_agenda(ctx)
    c.read_action_points(ctx)
    c.read_minutes_approvals(ctx)
    c.read_next_meeting(ctx)
    c.read_obligations(ctx, c.holders_of(ctx, "friend", "president"))
    c.read_aggregates(ctx)
    start, end, venue = head.start_time, head.end_time, head.venue
    # The invitation line ('Friends meeting, <date>, 13:00 – 15:00') and the venue under it.
    if ex.document.date:
        for i, p in enumerate(ctx.paras):
            dates = [d.date for d in md.find_dates(p.text, ctx.years)]
            tr = md.find_time_range(p.text)
            if ex.document.date in dates and tr:
                start, end = start or tr[0], end or tr[1]
                if venue is None and i + 1 < len(ctx.paras):
                    nxt = ctx.paras[i + 1].text.split(".")[0].strip()
                    if md._VENUE_WORDS.search(nxt) and len(nxt) < 100:
                        venue = nxt
                break
    refs = md.find_meeting_refs(head.title or "")
    ex.meeting = MeetingRecord(
        "friends-of-the-president",
        ex.document.date,
        head.date_passage or ex.document.passage,
        date_inferred=ex.document.date_inferred,
        start_time=start,  # type: ignore[arg-type]
        end_time=end,  # type: ignore[arg-type]
        venue=venue,
        format=head.format or body_format(ctx),
        title=head.title,
        ordinal=None,
    )
    del refs


def _draft_agenda(ctx: c.Ctx) -> None:
    """Numbered items of the draft agenda block (or numbered headings when there is none)."""
    found = False
    for b in ctx.blocks:
        if b.label != "draft-agenda":
            continue
        for p in b.items:
            if p.heading and p.heading.number:
                ctx.ex.agenda.append(
                    AgendaItemRecord(p.heading.number, p.heading.title, ctx.para_passage(p))
                )
                found = True
    if not found:
        c.read_numbered_agenda(ctx)
