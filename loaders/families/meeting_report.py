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
    read_vice_presidents,
    settle_presidencies,
)
from ccmkg.loaders.readers.status import read_status_sentences
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_MEETING = re.compile(
    r"Meeting\s+of\s+(?:the\s+)?States?\s+Part(?:ies|y)|Review\s+Conference|\b\d{1,2}\s*(?:MSP|RC)\b"
)
# A UN document symbol of the Convention's meetings ("CCM/MSP/2016/3", "CCM/CONF/2015/7"): a
# row of a document list, whose date column sits just before it.
_SYMBOL = re.compile(r"\bCCM/(?:MSP|CONF)/\d{4}/[\w.]+")
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
    cues = len(_CUES.findall(head)) + (1 if _SYMBOL.search(head) else 0)
    return 3 if meetings >= 1 and cues >= 2 else 0


def extract(ctx: Ctx) -> None:
    _dateline(ctx)
    read_calendar(ctx)
    read_programme_start(ctx, page_meeting(ctx))
    read_presidency_sentences(ctx)
    read_vice_presidents(ctx)
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
    # A document list flattened to one line: "… Organization of work 2016-09-04 CCM/MSP/2016/3".
    text = ctx.ct.clean
    for m in _SYMBOL.finditer(text):
        before = [d for d in md.find_dates(text[max(0, m.start() - 40) : m.start()]) if d.date]
        if before and not before[-1].inferred:
            ctx.ex.document.date = before[-1].date
            return


FAMILY = Family("meeting-report", CCM.MeetingReport, detect, extract, priority=6)
