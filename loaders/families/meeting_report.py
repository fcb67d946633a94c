"""Pages and reports of a Meeting of States Parties or Review Conference (and lists of such
meetings): when and where each took place, who presided (State and person), the hand-over of
the presidency, the President-designate with the meeting it is for, the coordinators it
appointed (a composition list inside the page), and treaty actions announced there."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.calendar import read_calendar, read_programme_start
from ccmkg.loaders.readers.composition import read_composition_table
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.holdings import read_sentence_holdings
from ccmkg.loaders.readers.obligations import read_aggregates
from ccmkg.loaders.readers.presidency import (
    page_meeting,
    read_presidency_sentences,
    settle_presidencies,
)
from ccmkg.loaders.readers.status import read_status_sentences
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_MEETING = re.compile(
    r"Meeting\s+of\s+(?:the\s+)?States?\s+Part(?:ies|y)|Review\s+Conference|\b\d{1,2}\s*(?:MSP|RC)\b"
)
_COMMITTEE = re.compile(r"Coordinati(?:on|ng)\s+Committee", re.I)
_CUES = re.compile(
    r"took\s+place|will\s+(?:take\s+place|be\s+held)|presided|Presidency|President|"
    r"[0-3]?\d\s*[-–]\s*[0-3]?\d\s+[A-Z][a-z]+|from\s+[0-3]?\d\s+to\s+[0-3]?\d\s+[A-Z][a-z]+"
)


def detect(head: str) -> int:
    """A numbered MSP / Review Conference named, with dates or a presidency: 3 or more."""
    meetings = len(_MEETING.findall(head))
    title = head.strip().split("\n", 1)[0]
    if meetings == 0 or re.search(r"\bminutes\b", head, re.I) or _COMMITTEE.search(title):
        return 0  # minutes, or a page about a Coordination Committee meeting
    cues = len(_CUES.findall(head))
    return 3 if meetings >= 1 and cues >= 2 else 0


def extract(ctx: Ctx) -> None:
    _dateline(ctx)
    read_calendar(ctx)
    read_programme_start(ctx, page_meeting(ctx))
    read_presidency_sentences(ctx)
    read_sentence_holdings(ctx)
    read_composition_table(ctx)  # coordinators appointed at the meeting: 'Area (State and State)'
    settle_presidencies(ctx)
    read_status_sentences(ctx)
    read_aggregates(ctx)
    read_working_groups(ctx)


def _dateline(ctx: Ctx) -> None:
    """A news page's date: a full date alone on one of its first lines."""
    for p in ctx.paras[:3]:
        dates = md.find_dates(p.text)
        if len(dates) == 1 and dates[0].date and len(p.text.strip()) <= len(dates[0].text) + 2:
            ctx.ex.document.date = dates[0].date
            return


FAMILY = Family("meeting-report", CCM.MeetingReport, detect, extract, priority=6)
