"""How a meeting's date is known, with the evidence: stated, inferred, or uncertain.

A yearless heading date ("Tuesday 27 March") whose year no evidence fixes is not a reason to
drop the meeting: it is stored as uncertain, with the years in which the day falls on the
written weekday and the evidence a reader would weigh (weekday, ordinal, the years the document
mentions), and its attendance and the rest are kept.
"""

from __future__ import annotations

import calendar
from typing import Any

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.head import Head
from ccmkg.loaders.records import Passage


def date_fields(ctx: Ctx, head: Head, ordinal: tuple[int, str | None] | None) -> dict[str, Any]:
    """MeetingRecord keyword arguments for the date: status, candidates, evidence and rule."""
    mention = head.date if head.date and head.date.date else head.partial_date
    if mention is None:
        return {}
    evidence = _evidence(ctx, mention, ordinal)
    if mention.date is not None:
        status = "inferred" if mention.inferred else "stated"
        return {
            "date_status": status,
            "date_evidence": tuple(evidence) if mention.inferred else (),
            "date_rule": mention.year_rule,
        }
    if mention.month is None or mention.day is None:
        return {}
    candidates = md.year_candidates(mention.month, mention.day, mention.weekday)
    return {
        "date_status": "uncertain",
        "year_candidates": candidates,
        "date_evidence": (*evidence, f"no year decided: {mention.year_rule}"),
        "date_rule": "none",
    }


def date_passage(head: Head) -> Passage | None:
    """The passage that states the date, or the one that states what is known of it."""
    return head.date_passage or head.partial_passage


def _evidence(
    ctx: Ctx, mention: md.DateMention, ordinal: tuple[int, str | None] | None
) -> list[str]:
    out = [f"written: {' '.join(mention.text.split())}"]
    if mention.weekday is not None:
        out.append(f"weekday: {calendar.day_name[mention.weekday]}")
    if ordinal is not None:
        scope = ordinal[1] or "no year or presidency scope"
        out.append(f"ordinal: {ordinal[0]} ({scope})")
    if ctx.years:
        years = ", ".join(str(y) for y, _ in ctx.years.most_common(5))
        out.append(f"years mentioned in the document: {years}")
    else:
        out.append("years mentioned in the document: none")
    return out
