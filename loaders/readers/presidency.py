"""Presidencies on meeting pages: who presided (State and person), hand-overs, designations.

A presidency is always tied to its meeting: the one the sentence names, or, for "the
meeting", the meeting the page is about (its title); never to the date of the document.
`settle_presidencies` then ties a presidency mentioned without its meeting ("the Swiss
Presidency") to the one meeting the same document gives that State's presidency, and drops a
bare "X, as the President of …" read inside a designation of X.
"""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.gazetteer import person
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.holdings import add_holding, holder_key, tokenise
from ccmkg.loaders.readers.prefilter import may_match
from ccmkg.loaders.readers.rules import Rule, rules, untokenised_gate
from ccmkg.loaders.records import (
    ActorRef,
    MeetingRef,
    Passage,
    PersonRef,
    PostHoldingRecord,
    PostKind,
)

_ROLE_WORDS = re.compile(
    r"\s+(?:Ambassador|Permanent|Minister|Chargé|Deputy|Director|President|Head|Secretary|"
    r"Representative|Disarmament|Mission|Of|And)\b.*$"
)


def page_meeting(ctx: Ctx) -> MeetingRef | None:
    """The meeting a page is about: the first numbered meeting in its first lines."""
    for p in ctx.paras[:4]:
        refs = md.find_meeting_refs(p.text)
        if refs:
            return refs[0][0]
    return None


def _meeting(ctx: Ctx, text: str | None) -> MeetingRef | None:
    if not text:
        return None
    refs = md.find_meeting_refs(text)
    if refs:
        return refs[0][0]
    return page_meeting(ctx) if re.fullmatch(r"(?:the\s+)?meeting", text.strip(), re.I) else None


_HONORIFICS = re.compile(r"^(?:(?:H\.\s?E\.|Ambassador|Amb\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)+")


def _person(written: str) -> PersonRef | None:
    written = written.strip()
    hon = _HONORIFICS.match(written)
    lead = hon.group(0) if hon else ""
    name = lead + _ROLE_WORDS.sub("", written[len(lead) :]).strip(" ,")
    ref = person(name)
    return ref if len(ref.name.split()) >= 2 or "." in ref.name else None


def _state(ctx: Ctx, *texts: str | None) -> ActorRef | None:
    for text in texts:
        if not text:
            continue
        hits = sorted(
            ctx.gz.find_states(text) + ctx.gz.find_adjectives(text), key=lambda m: m.start
        )
        if hits:
            return ctx.state_ref(hits[0].key, hits[0].written)
    return None


def read_presidency_sentences(ctx: Ctx) -> None:
    """Every presidency rule on every sentence (see loaders/rules/presidency.yaml)."""
    chosen = [r for r in rules("presidency") if r.reader == "read_presidency_sentences"]
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            pas = ctx.passage(s, e, p.section)
            tok, table = tokenise(ctx, sent)
            for r in chosen:
                view = tok if r.view == "tokens" else sent
                for m in r.finditer(view):
                    _apply(ctx, r, m, sent, table, pas)


def read_vice_presidents(ctx: Ctx) -> None:
    """'Election of vice-presidents: A, B, and C': each listed State is a Vice-President of the
    meeting the page is about (a name the gazetteer cannot resolve goes to review)."""
    r = next(r for r in rules("presidency") if r.name == "election-of-vice-presidents")
    meeting = page_meeting(ctx)
    if meeting is None:
        return
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            if not r.may_match_untokenised(sent):
                continue
            tok, table = tokenise(ctx, sent)
            m = r.search(tok)
            if not m:
                continue
            pas = ctx.passage(s, e, p.section)
            for part in re.split(r",|\band\b", m.group("list")):
                idx = re.findall(r"⟨S(\d+)⟩", part)
                name = part.strip().removeprefix("the ").strip()
                if idx:
                    _, key, written = table[int(idx[0])]
                    add_holding(
                        ctx, ctx.state_ref(key, written), "vice-president", pas, meeting=meeting
                    )
                elif name[:1].isupper():
                    ctx.unresolved(name, pas, "state")


def _apply(
    ctx: Ctx,
    r: Rule,
    m: re.Match[str],
    sent: str,
    table: list[tuple[str, str, str]],
    pas: Passage,
) -> None:
    groups = m.groupdict()
    post_text = r.value("post", m) or "president"
    post: PostKind = "president-designate" if "designate" in post_text.lower() else "president"
    if r.view == "tokens":
        idx = re.findall(r"⟨[SJ](\d+)⟩", groups.get("who") or "")
        if not idx:
            return
        _, key, written = table[int(idx[0])]
        meeting = _meeting(ctx, groups.get("m1"))
        if r.source("meeting") == "meeting-in-sentence":
            refs = md.find_meeting_refs(sent)
            meeting = refs[0][0] if refs else page_meeting(ctx)
        if meeting is None and r.name == "state-will-preside-over":
            return  # "will preside over" what, if not a numbered meeting?
        add_holding(ctx, ctx.state_ref(key, written), post, pas, meeting=meeting)
        return
    pairs = [("p1", "d1", groups.get("m1") or groups.get("m1a"), post)]
    if groups.get("p2"):
        pairs.append(("p2", "d2", groups.get("m2"), "president"))
    for pg, dg, mtext, kind in pairs:
        who = _person(groups[pg] or "")
        before = groups.get("d1") if r.name == "meeting-president-handed-over" else None
        state = _state(ctx, groups.get(dg), groups[pg], before)
        if r.name == "meeting-president-handed-over":
            # the outgoing President's State is not written beside the name (p1); the
            # incoming one's is the adjective or State before or after the name (p2)
            state = _state(ctx, before, groups.get(dg)) if pg == "p2" else None
        meeting = _meeting(ctx, mtext)
        if state is not None:
            _add(ctx, state, kind, pas, meeting, who)
        elif who is not None and meeting is not None:
            _add_person(ctx, who, kind, pas, meeting)


def _add(
    ctx: Ctx,
    state: ActorRef,
    post: PostKind,
    pas: Passage,
    meeting: MeetingRef | None,
    who: PersonRef | None,
) -> None:
    add_holding(ctx, state, post, pas, meeting=meeting)
    for h in ctx.ex.holdings:
        if (holder_key(h), h.post, h.passage) == (state.key, post, pas) and h.person is None:
            h.person = who


def _add_person(
    ctx: Ctx, who: PersonRef, post: PostKind, pas: Passage, meeting: MeetingRef
) -> None:
    """A President named with the meeting but not the State: the person is kept, the State
    stays unknown (never guessed, never made up from the name)."""
    for h in ctx.ex.holdings:
        if h.person is not None and (h.person.key, h.post, h.passage) == (who.key, post, pas):
            return
    ctx.ex.holdings.append(PostHoldingRecord(None, post, pas, meeting=meeting, person=who))


def settle_presidencies(ctx: Ctx) -> None:
    """Tie presidencies without a meeting to the document's one meeting for that State; drop
    readings superseded by a more specific one from the same passage; one holding per fact."""
    hs = ctx.ex.holdings
    specific = {
        (holder_key(h), h.passage)
        for h in hs
        if h.post == "president-designate" or (h.post == "president" and h.meeting is not None)
    }
    kept = []
    for h in hs:
        if h.post == "president" and h.meeting is None and (holder_key(h), h.passage) in specific:
            continue
        kept.append(h)
    for h in kept:
        if h.post != "president" or h.meeting is not None:
            continue
        known = {
            (o.meeting.kind, o.meeting.ordinal)
            for o in kept
            if o.post == "president" and holder_key(o) == holder_key(h) and o.meeting
        }
        if len(known) == 1:
            h.meeting = next(
                o.meeting for o in kept if holder_key(o) == holder_key(h) and o.meeting
            )
    seen: set[tuple[object, ...]] = set()
    out = []
    for h in kept:
        k = (holder_key(h), h.post, h.meeting.label if h.meeting else None, h.passage)
        if k not in seen:
            seen.add(k)
            out.append(h)
    ctx.ex.holdings[:] = out
