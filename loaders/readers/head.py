"""The head of a document: title, date, time, venue and format lines before the body starts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.records import MeetingFormat, Passage
from ccmkg.loaders.segment import Paragraph


@dataclass
class Head:
    """What the head states; passages point at the lines that state it."""

    title: str | None = None
    title_passage: Passage | None = None
    date: md.DateMention | None = None
    date_passage: Passage | None = None
    partial_date: md.DateMention | None = None  # a yearless date no evidence fixed
    partial_passage: Passage | None = None
    start_time: object = None
    end_time: object = None
    venue: str | None = None
    format: MeetingFormat | None = None


def head_paragraphs(ctx: Ctx) -> list[Paragraph]:
    """Paragraphs before the first block (attendee list) or first numbered/bulleted body."""
    first_block = min((b.head.start for b in ctx.blocks), default=len(ctx.ct.clean))
    out: list[Paragraph] = []
    for p in ctx.paras:
        if p.start >= first_block or (
            p.kind == "heading" and out and p.heading and p.heading.level == 1 and len(out) > 6
        ):
            break
        if p.kind == "bullet" or len(p.text) > 300:
            break
        out.append(p)
    return out


def read_head(ctx: Ctx, title_rx: re.Pattern[str]) -> Head:
    """Title (first line matching `title_rx`), then the date/time/venue lines after it."""
    head = Head()
    paras = head_paragraphs(ctx)
    start_idx = 0
    for i, p in enumerate(paras):
        if title_rx.search(p.text):
            if head.title is not None and any(md.find_dates(q.text) for q in paras[:i]):
                break  # a later title-like line after the date is not the title
            # The last title-like line before the date wins: a hosting site's title line
            # ("Minutes of … - viewer") often comes before the document's own title.
            head.title = " ".join(p.text.split())
            head.title_passage = ctx.para_passage(p)
            start_idx = i
            dated = md.find_dates(p.text)
            if dated:
                # A run-on head: the title stops where "Held on <date>" begins.
                cut = _HELD_ON.sub("", p.text[: dated[0].start]).strip(" ,-–")
                if cut and title_rx.search(cut):
                    head.title = " ".join(cut.split())
                    head.title_passage = ctx.passage(p.start, p.start + len(cut))
                break
    if head.title is None or head.date is None:
        paras = paras[start_idx:] + _run_on_head(ctx, title_rx)
        start_idx = 0
    for p in paras[start_idx:]:
        mentions_here = md.find_dates(p.text, ctx.years)
        if head.date is None:
            mentions = md.find_dates(p.text, ctx.years)
            dates = [d for d in mentions if d.date]
            if dates:
                head.date = dates[0]
                head.date_passage = ctx.para_passage(p)
            elif mentions and head.partial_date is None:
                head.partial_date = mentions[0]
                head.partial_passage = ctx.para_passage(p)
        if head.start_time is None:
            tr = md.find_time_range(p.text)
            if tr:
                head.start_time, head.end_time = tr[0], tr[1]
        if head.venue is None:
            head.venue = md.venue_from_line(p.text) or md.venue_after_date(p.text, mentions_here)
        if head.format is None and (p is paras[start_idx] or len(p.text) < 120):
            head.format = md.find_format(p.text)
    return head


_HELD_ON = re.compile(r"[\s,]*(?:held\s+on|held|on|dated?)?[\s,:]*$", re.IGNORECASE)
# A run-on head: title, date, venue, time and "1. Present:" in one long line.
_HEAD_END = re.compile(r"(?:\s\d{1,2}\.)?\s*\b(?:Present|PRESENT|List\s+of\s+attendees)\s*:")


def _run_on_head(ctx: Ctx, title_rx: re.Pattern[str]) -> list[Paragraph]:
    """The head part of a long early paragraph that carries the title (from the title to the
    attendance label, at most 400 characters), as a paragraph of its own."""
    for p in ctx.paras[:12]:
        m = title_rx.search(p.text)
        if m is None or len(p.text) <= 300:
            continue
        window = p.text[m.start() : m.start() + 400]
        stop = _HEAD_END.search(window)
        end = m.start() + (stop.start() if stop else len(window))
        return [Paragraph(p.start + m.start(), p.start + end, p.text[m.start() : end], "text")]
    return []


_HELD_IN = re.compile(
    r"\b(?:held|convened|took\s+place)\s+(?:in\s+|as\s+an?\s+)?(?P<f>hybrid|virtual|online|"
    r"in[- ]person)\b(?:\s+(?:format|mode|meeting))?",
    re.IGNORECASE,
)


def read_document_head(ctx: Ctx, title_rx: re.Pattern[str]) -> Head:
    """read_head, then the document's title, date (inferred or not) and title passage."""
    head = read_head(ctx, title_rx)
    doc = ctx.ex.document
    doc.title = head.title
    if head.date and head.date.date:
        doc.date = head.date.date
        doc.date_inferred = head.date.inferred
    if head.title_passage:
        doc.passage = head.title_passage
    return head


def body_format(ctx: Ctx) -> MeetingFormat | None:
    """'which was held in hybrid format' in the body."""
    m = _HELD_IN.search(ctx.ct.clean)
    return md.find_format(m.group("f")) if m else None
