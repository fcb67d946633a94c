"""Posts: beside a delegation in the attendee list, in area headings, and in running text.

The sentence and heading rules are data (loaders/rules/holdings.yaml); this module applies
them. Mentions tied to another treaty (APMBC, CCW, …) are skipped.
"""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import OTHER_TREATY, Ctx, section_area, sentences
from ccmkg.loaders.readers.prefilter import may_match
from ccmkg.loaders.readers.rules import Rule, rules, untokenised_gate
from ccmkg.loaders.records import ActorRef, MeetingRef, Passage, PostHoldingRecord, PostKind

_DESIGNATE = re.compile(r"president[\s-]*(?:designate|elect)", re.IGNORECASE)
_PAST = re.compile(r"(?:immediate\s+)?(?:past|former|outgoing)\s+president", re.IGNORECASE)
_PRESIDENT = re.compile(r"\bpresiden(?:t|cy)\b", re.IGNORECASE)


def read_role(ctx: Ctx, actor: ActorRef, role: str, pas: Passage, friend: bool = False) -> None:
    """Posts stated beside a delegation: presidency roles and thematic areas with years."""
    refs = [r for r, _, _ in md.find_meeting_refs(role)]
    meeting = refs[0] if refs else None
    post: PostKind | None = None
    if _DESIGNATE.search(role):
        post = "president-designate"
    elif _PAST.search(role):
        post = "past-president"
    elif _PRESIDENT.search(role) and "friend" not in role.lower():
        post = "president"
    if post:
        add_holding(ctx, actor, post, pas, meeting=meeting)
    areas = ctx.gz.find_areas(role)
    years = tuple(sorted({int(y) for y in re.findall(r"(?:19|20)\d{2}", role)}))
    kind: PostKind = "friend" if friend or re.search(r"\bfriend", role, re.I) else "coordinator"
    for a in areas:
        add_holding(ctx, actor, kind, pas, area=a.key, mandate_years=years)


def add_holding(
    ctx: Ctx,
    actor: ActorRef,
    post: PostKind,
    pas: Passage,
    *,
    area: str | None = None,
    topic: str | None = None,
    meeting: MeetingRef | None = None,
    mandate_years: tuple[int, ...] = (),
) -> None:
    """Append a holding unless the same attestation (same passage) is already there.

    Only States coordinate or preside: an organisation named with such a role is not a holder.
    """
    if actor.kind != "state" and post in ("coordinator", "president", "president-designate"):
        return
    key = (actor.key, post, area, topic, pas)
    if any((holder_key(h), h.post, h.area, h.topic, h.passage) == key for h in ctx.ex.holdings):
        return
    ctx.ex.holdings.append(
        PostHoldingRecord(actor, post, pas, area, topic, meeting, tuple(mandate_years))
    )


def holder_key(h: PostHoldingRecord) -> str:
    """The holder's key; "" for a post whose State the text does not name."""
    return h.holder.key if h.holder is not None else ""


def holders_of(ctx: Ctx, *posts: str) -> set[str]:
    """Keys of the actors holding any of `posts` in what was read so far."""
    return {h.holder.key for h in ctx.ex.holdings if h.post in posts and h.holder is not None}


# --- headings ------------------------------------------------------------------------------


def read_heading_holdings(ctx: Ctx) -> None:
    """'5.1 <area> (<State> and <State>)': coordinators of the heading's area."""
    heading_rules = [r for r in rules("holdings") if r.reader == "read_heading_holdings"]
    for p in ctx.paras:
        if p.kind != "heading" or not p.heading:
            continue
        title = p.heading.title
        for rule in heading_rules:
            m = rule.search(title)
            if not m or OTHER_TREATY.search(title):
                continue
            areas = ctx.gz.find_areas(title[: m.start()])  # the @heading-area
            states = ctx.gz.find_states(rule.value("holder", m))
            if len(areas) != 1 or not states:
                continue
            post: PostKind = rule.fields["post"]
            for s in states:
                add_holding(
                    ctx,
                    ctx.state_ref(s.key, s.written),
                    post,
                    ctx.para_passage(p),
                    area=areas[0].key,
                )


# --- sentences -----------------------------------------------------------------------------

Token = tuple[str, str, str]  # (kind S|J|A, key, as written)


def tokenise(ctx: Ctx, text: str) -> tuple[str, list[Token]]:
    """Replace States, adjectives and areas with ⟨Sn⟩/⟨Jn⟩/⟨An⟩ tokens for the rules."""
    hits: list[tuple[int, int, str, str, str]] = []
    for m in ctx.gz.find_states(text):
        hits.append((m.start, m.end, "S", m.key, m.written))
    for m in ctx.gz.find_areas(text):
        hits.append((m.start, m.end, "A", m.key, m.written))
    for m in ctx.gz.find_adjectives(text):
        hits.append((m.start, m.end, "J", m.key, m.written))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[str] = []
    table: list[Token] = []
    pos = 0
    for s, e, kind, key, written in hits:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(f"⟨{kind}{len(table)}⟩")
        table.append((kind, key, written))
        pos = e
    out.append(text[pos:])
    return "".join(out), table


def read_sentence_holdings(ctx: Ctx) -> None:
    """Coordinators and presidencies stated in running text."""
    _read_sentences(ctx, [r for r in rules("holdings") if r.reader == "read_sentence_holdings"])


def read_friend_holdings(ctx: Ctx) -> None:
    """Friends of the President stated in running text, and presidencies."""
    _read_sentences(
        ctx,
        [
            r
            for r in rules("holdings")
            if r.reader == "read_friend_holdings"
            or (r.reader == "read_sentence_holdings" and r.fields["post"] == "president")
        ],
    )


def _read_sentences(ctx: Ctx, chosen: list[Rule]) -> None:
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        sec_area = section_area(ctx, p)
        for s, e, sent in sentences(p):
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            tok, table = tokenise(ctx, sent)
            if not any(t[0] in "SJ" for t in table):
                continue  # a holding needs its holder, a State: no rule can read one here
            pas = ctx.passage(s, e, p.section)
            for rule in chosen:
                for m in rule.finditer(tok):
                    if OTHER_TREATY.search(tok[max(0, m.start() - 12) : m.end()]):
                        continue
                    _apply(ctx, rule, m, table, pas, sec_area)


def _refs(group: str, table: list[Token], kinds: str) -> list[Token]:
    return [t for i in re.findall(r"⟨[SJA](\d+)⟩", group) if (t := table[int(i)])[0] in kinds]


def _apply(
    ctx: Ctx, rule: Rule, m: re.Match[str], table: list[Token], pas: Passage, sec_area: str | None
) -> None:
    """The holdings a match states, with each field filled as the rule declares."""
    post: PostKind = rule.fields["post"]
    actors = [ctx.state_ref(k, w) for _, k, w in _refs(rule.value("holder", m), table, "SJ")]
    if post == "president":
        meeting = None
        if rule.source("meeting") == "title-meeting":
            meeting = title_meeting(ctx)
        elif rule.value("meeting", m):
            refs = md.find_meeting_refs(rule.value("meeting", m))
            meeting = refs[0][0] if refs else None
        for a in actors:
            add_holding(ctx, a, post, pas, meeting=meeting)
        return
    if "topic" in rule.fields:
        topic = rule.value("topic", m).strip()
        if ctx.gz.find_areas(topic) or "⟨" in topic:
            return  # an area (read by an area rule) or a State: not a free topic
        topic = re.sub(r"^(?:the\s+)", "", topic)
        for a in actors:
            add_holding(ctx, a, post, pas, topic=topic)
        return
    if rule.source("area") == "section-area":
        areas = [sec_area] if sec_area else []
    else:
        areas = [key for _, key, _ in _refs(rule.value("area", m), table, "A")]
    for area in areas:
        for a in actors:
            add_holding(ctx, a, post, pas, area=area)


def title_meeting(ctx: Ctx) -> MeetingRef | None:
    """The MSP/RC whose presidency the title names ('Friends of the President of the 1MSP')."""
    title = ctx.ex.document.title or ""
    if re.search(r"\bpresident\b", title, re.I):
        refs = md.find_meeting_refs(title)
        if refs:
            return refs[0][0]
    return None
