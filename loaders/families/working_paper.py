"""A working paper of an MSP or Review Conference: symbol/date head, the meeting it is for
(ordinal, venue, dates), the agenda item it is submitted under, its title and author."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.agenda import read_action_points
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.obligations import read_aggregates, read_obligations
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.records import AgendaItemRecord, MeetingKind, MeetingRecord
from ccmkg.loaders.registry import Family
from ccmkg.loaders.segment import Paragraph
from ccmkg.model.terms import CCM

_ITEM = re.compile(
    r"^Item\s+(?P<num>\d{1,2}(?:\s*\([a-z]+\))?)\s+of\s+the\s+(?:provisional\s+)?agenda", re.I
)
_SUBMITTED = re.compile(r"^submitted\s+by\b", re.I)
_SYMBOL = re.compile(r"\bCCM/[A-Z0-9./]+\b")
_DETECT = [
    re.compile(rx, re.IGNORECASE)
    for rx in (
        r"submitted\s+by",
        r"working\s+paper",
        r"original\s*:\s*\w+",
        r"item\s+\d+.{0,12}of\s+the\s+(?:provisional\s+)?agenda",
        r"CCM/[A-Z]+/\d{4}",
    )
]
_MEETING_LINE = re.compile(
    r"^(?P<ord>\w+)\s+(?P<kind>Review\s+Conference|Meeting\s+of\s+(?:the\s+)?States\s+Parties)\s*$",
    re.I,
)


def detect(head: str) -> int:
    """Two or more working-paper marks (symbol, 'Original:', 'Submitted by', agenda item)."""
    h = head.lower()
    score = sum(1 for rx in _DETECT if rx.search(h))
    return score + 1 if score >= 2 else 0


def extract(ctx: Ctx) -> None:
    ex = ctx.ex
    paras = ctx.paras[:40]
    for i, p in enumerate(paras):
        if _SUBMITTED.match(p.text.strip()) and i > 0:
            prev = paras[i - 1]
            ex.document.title = " ".join(prev.text.split())
            ex.document.passage = ctx.para_passage(prev)
            break
    dates = [d for p in paras[:8] for d in md.find_dates(p.text, ctx.years) if d.date]
    head_dates = [d for d in dates if not md.find_date_range(d.text)]
    if head_dates:
        ex.document.date = head_dates[0].date
        ex.document.date_inferred = head_dates[0].inferred
    sym = _SYMBOL.search(" ".join(p.text for p in paras[:6]))
    if sym:
        ex.document.symbol = sym.group(0)
    _meeting(ctx, paras)
    for i, p in enumerate(paras):
        m = _ITEM.match(p.text.strip())
        if m and i + 1 < len(paras):
            title_p = paras[i + 1]
            ex.agenda.append(
                AgendaItemRecord(
                    re.sub(r"\s+", " ", m.group("num")),
                    " ".join(title_p.text.split()),
                    ctx.passage(p.start, title_p.end, None),
                )
            )
            break
    read_obligations(ctx, set())
    read_aggregates(ctx)
    read_working_groups(ctx)
    read_action_points(ctx)


def _meeting(ctx: Ctx, paras: list[Paragraph]) -> None:
    for i, p in enumerate(paras[:15]):
        m = _MEETING_LINE.match(p.text.strip())
        if not m:
            continue
        n = md.ordinal_value(m.group("ord"))
        kind: MeetingKind = (
            "review-conference"
            if "review" in m.group("kind").lower()
            else "meeting-of-states-parties"
        )
        rec = MeetingRecord(
            kind,
            None,
            ctx.para_passage(p),
            ordinal=n,  # type: ignore[arg-type]
            title=" ".join(p.text.split()),
        )
        for q in paras[i + 1 : i + 3]:
            rng = md.find_date_range(q.text, ctx.years)
            if rng:
                rec.date, rec.end_date = rng[0], rng[1]
                venue = q.text[: rng[2]].strip(" ,")
                rec.venue = venue or None
                rec.passage = ctx.passage(p.start, q.end)
                break
        ctx.ex.meeting = rec
        return


FAMILY = Family("working-paper", CCM.WorkingPaper, detect, extract, priority=10)
