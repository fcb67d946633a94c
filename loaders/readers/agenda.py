"""Agenda items (numbered headings, or a draft agenda block) and action points.

Minutes: the numbered (sub)headings, attendance headings excluded; lettered sub-sub-items
(`(a) <State>`) are not items. Action points: 'Action point: …' lines (a rule in
loaders/rules/agenda.yaml) and the items of an 'Action points:' block.
"""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.records import ActionPointRecord, ActorRef, AgendaItemRecord

_ATTENDANCE_HEAD = re.compile(
    r"^(?:present|attendees|apologies(?:\s+(?:not\s+)?received)?|list of attendees|participants)"
    r"\s*:?\s*$",
    re.I,
)


def read_numbered_agenda(ctx: Ctx, max_level: int = 2) -> None:
    """Numbered section headings (items and sub-items) as agenda items."""
    for p in ctx.paras:
        h = p.heading
        if p.kind != "heading" or not h or not h.number or h.level > max_level or h.level < 1:
            continue
        if _ATTENDANCE_HEAD.match(h.title):
            continue
        ctx.ex.agenda.append(AgendaItemRecord(h.number, h.title.strip(), ctx.para_passage(p)))


def read_draft_agenda(ctx: Ctx) -> None:
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
        read_numbered_agenda(ctx)


def read_action_points(ctx: Ctx) -> None:
    """'Action point: …' lines and the items of an 'Action points:' block."""
    line = rule("agenda", "action-point-in-a-line")
    in_block = {id(p) for b in ctx.blocks if b.label == "action-points" for p in b.items}
    for p in ctx.paras:
        body = p.body
        m = line.match(body)
        if m:
            text = line.value("text", m)
        elif id(p) in in_block:
            text = body
        else:
            continue
        text = " ".join(text.split())
        if not text:
            continue
        resp_text, responsible = _responsible(ctx, text)
        dates = md.find_dates(text, ctx.years)
        due = next((d for d in dates if d.date), None)
        ctx.ex.action_points.append(
            ActionPointRecord(
                text,
                ctx.para_passage(p),
                responsible,
                resp_text,
                due.date if due else None,
                due.text if due else None,
            )
        )


def _responsible(ctx: Ctx, text: str) -> tuple[str | None, list[ActorRef]]:
    """Who is to act: '<who> to <verb>' or '<who> would/will …'; the actors named in it."""
    m = re.match(r"^(?P<who>[^.;]{2,160}?)\s+to\s+\w+", text)
    if m and not re.match(r"(?i)it\s+was|the\s+\w+\s+(?:informed|assured|stated)", m.group("who")):
        who = m.group("who")
    else:
        m2 = re.match(
            r"^(?:It\s+was\s+agreed\s+that\s+)?(?:the\s+)?(?P<who>[A-Z][\w -]{1,60}?)\s+"
            r"(?:would|will|informed|assured)\b",
            text,
        )
        who = m2.group("who") if m2 else None
    if not who:
        return None, []
    actors = [ctx.gz.actor(x.written) for x in ctx.gz.find_actors(who)]
    return who.strip(), [a for a in actors if a]
