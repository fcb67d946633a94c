"""Minutes of a meeting of the Friends of the President: unnumbered topic sections
('Topic – Presenter'), 'As Friend on matters pertaining to …, State' sentences, an
'Action points:' list and a draft agenda with the meeting's date, time and venue."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.agenda import read_action_points, read_draft_agenda
from ccmkg.loaders.readers.attendance import read_apologies, read_attendance
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.dating import date_fields, date_passage
from ccmkg.loaders.readers.head import body_format, read_document_head
from ccmkg.loaders.readers.holdings import (
    holders_of,
    read_friend_holdings,
    read_sentence_holdings,
)
from ccmkg.loaders.readers.minutes import read_minutes_approvals, read_next_meeting
from ccmkg.loaders.readers.obligations import read_aggregates, read_obligations
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.records import MeetingRecord
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

TITLE = re.compile(r"friends", re.IGNORECASE)


def detect(head: str) -> int:
    """'Friends of the President' or 'Friends meeting'; more with minutes or action points."""
    h = head.lower()
    if re.search(r"friends\s+of\s+the\s+president|friends\s+meeting", h):
        return 4 if "minutes" in h or "action points" in h else 3
    return 0


def extract(ctx: Ctx) -> None:
    head = read_document_head(ctx, TITLE)
    ex = ctx.ex
    read_attendance(ctx)
    read_apologies(ctx)
    read_friend_holdings(ctx)
    read_sentence_holdings(ctx)
    read_draft_agenda(ctx)
    read_action_points(ctx)
    read_minutes_approvals(ctx)
    read_next_meeting(ctx)
    read_obligations(ctx, holders_of(ctx, "friend", "president"))
    read_aggregates(ctx)
    read_working_groups(ctx)
    start, end, venue = head.start_time, head.end_time, head.venue
    # The invitation line ('Friends meeting, <date>, <time> – <time>') and the venue under it.
    if ex.document.date:
        for i, p in enumerate(ctx.paras):
            dates = [d.date for d in md.find_dates(p.text, ctx.years)]
            tr = md.find_time_range(p.text)
            if ex.document.date in dates and tr:
                start, end = start or tr[0], end or tr[1]
                if venue is None and i + 1 < len(ctx.paras):
                    nxt = ctx.paras[i + 1].text.split(".")[0].strip()
                    if md.VENUE_WORDS.search(nxt) and len(nxt) < 100:
                        venue = nxt
                break
    ex.meeting = MeetingRecord(
        "friends-of-the-president",
        ex.document.date,
        date_passage(head) or ex.document.passage,
        date_inferred=ex.document.date_inferred,
        start_time=start,  # type: ignore[arg-type]
        end_time=end,  # type: ignore[arg-type]
        venue=venue,
        format=head.format or body_format(ctx),
        title=head.title,
        ordinal=None,
        **date_fields(ctx, head, None),
    )


FAMILY = Family(
    "friends-of-the-president-minutes",
    CCM.FriendsOfThePresidentMinutes,
    detect,
    extract,
    priority=20,
)
