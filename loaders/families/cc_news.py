"""News items about a Coordination Committee meeting (a web page, not minutes): the meeting's
day, venue and host, the delegations the item places there, and the presidency it names."""

from __future__ import annotations

import re

from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.news import read_committee_attendance, read_committee_news
from ccmkg.loaders.readers.presidency import read_presidency_sentences, settle_presidencies
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_COMMITTEE = re.compile(r"Coordinati(?:on|ng)\s+Committee", re.I)


def detect(head: str) -> int:
    """Not minutes, the Committee in the title, and a sentence on who hosted its meeting: 3."""
    if re.search(r"\bminutes\b|\bPRESENT\b|\bapologies\b", head, re.I):
        return 0
    title = head.strip().split("\n", 1)[0]
    if not _COMMITTEE.search(title):
        return 0
    rx = rule("news", "host-held-committee-meeting").pattern
    return 3 if any(rx.search(line) for line in re.split(r"(?<=[.!?])\s+|\n", head)) else 0


def extract(ctx: Ctx) -> None:
    lines = [p for p in ctx.paras if p.text.strip()]
    if lines and len(lines[0].text) < 120:
        ctx.ex.document.title = " ".join(lines[0].text.split())
        ctx.ex.document.passage = ctx.para_passage(lines[0])
    read_committee_news(ctx)
    read_committee_attendance(ctx)
    read_presidency_sentences(ctx)
    settle_presidencies(ctx)
    read_working_groups(ctx)


FAMILY = Family(
    "coordination-committee-news", CCM.CoordinationCommitteeNews, detect, extract, priority=5
)
