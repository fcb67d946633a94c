"""Obligation status pages: overdue-report lists, extension-request lists, completions.

Each State gets one event per fact; a list's States are those the gazetteer resolves (a name it
cannot is reported for review, never made an actor). The date of an event is the one the
sentence states for it; without one it stays unknown (never the page's date).
"""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.holdings import tokenise
from ccmkg.loaders.readers.prefilter import may_match
from ccmkg.loaders.readers.rules import rule, rules, untokenised_gate
from ccmkg.loaders.records import ObligationEventRecord, Passage

_EXTENSION_TITLE = re.compile(r"extension\s+requests?", re.I)


def add_event(ctx: Ctx, rec: ObligationEventRecord) -> None:
    """One event per State, article and kind in a document: a record that says more (a date,
    a new deadline, the Article) replaces one that says less; an event of unknown Article is
    the same event as one of that State and kind whose Article is known."""
    for i, old in enumerate(ctx.ex.obligation_events):
        same_article = old.article == rec.article or None in (old.article, rec.article)
        if (old.state.key, old.event) == (rec.state.key, rec.event) and same_article:
            if _says(rec) > _says(old):
                ctx.ex.obligation_events[i] = rec
            return
    ctx.ex.obligation_events.append(rec)


def _says(rec: ObligationEventRecord) -> int:
    return sum(x is not None for x in (rec.date, rec.deadline, rec.article))


_ARTICLE_IN = re.compile(r"\bArticles?\s+(?P<n>[347])\b(?!\s*(?:and|or|,)\s*[347])")


def read_extension_requests(ctx: Ctx) -> None:
    """Extension requests stated in running text: the States that requested one ('including
    A, B and C'), and the new deadline a State requested ('… requested an extension until
    <date>'). The Article is the one the sentence names, else unknown; the event's own date
    stays unknown (the sentence says when the deadline is, not when the request was made)."""
    chosen = [r for r in rules("duties") if r.reader == "read_extension_requests"]
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            tok, table = tokenise(ctx, sent)
            arts = {int(m.group("n")) for m in _ARTICLE_IN.finditer(sent)}
            article = arts.pop() if len(arts) == 1 else None
            pas = ctx.passage(s, e, p.section)
            for r in chosen:
                for m in r.finditer(tok):
                    span = m.group("list") if "list" in m.groupdict() else m.group("who")
                    until = m.groupdict().get("until")
                    dates = [d.date for d in md.find_dates(until or "") if d.date]
                    deadline = (
                        dates[0] if dates and not md.find_dates(until or "")[0].inferred else None
                    )
                    for idx in re.findall(r"⟨S(\d+)⟩", span or ""):
                        _, key, written = table[int(idx)]
                        add_event(
                            ctx,
                            ObligationEventRecord(
                                ctx.state_ref(key, written),
                                article,
                                str(r.fields["event"]),
                                pas,
                                text=sent.strip(),
                                deadline=deadline,
                            ),
                        )


def _list_states(ctx: Ctx, text: str, offset: int, passage: Passage) -> list[tuple[str, str]]:
    out = []
    body = text.split(".")[0]
    for m in ctx.gz.find_states(body):
        out.append((m.key, m.written))
    # Names between the commas that resolve to no State go to review.
    for part in re.split(r",|\band\b", body):
        name = part.strip(" |")
        if name and not ctx.gz.find_states(name) and name[:1].isupper() and len(name) < 40:
            ctx.unresolved(name, passage, "state")
    return out


def read_overdue_lists(ctx: Ctx) -> None:
    """'N States Parties have overdue initial reports: A, B, and C.'"""
    rx = rule("duties", "states-with-overdue-reports-colon-list").pattern
    text = ctx.ct.clean
    for m in rx.finditer(text):
        group = "list" if m.group("list") else "list2"
        pas = ctx.passage(m.start(), m.end())
        intro = text[m.start() : m.start(group)]
        for key, written in _list_states(ctx, m.group(group), m.start(group), pas):
            add_event(
                ctx,
                ObligationEventRecord(
                    ctx.state_ref(key, written), 7, "report-overdue", pas, text=intro.strip()
                ),
            )


def read_article_lists(ctx: Ctx) -> None:
    """On an extension-requests page, the States listed (one per line) under 'Article N: …'."""
    title = ctx.ex.document.title or ctx.ct.clean[:200]
    if not _EXTENSION_TITLE.search(title):
        return
    rx = rule("duties", "states-under-an-article-heading").pattern
    article: int | None = None
    pos = 0
    for line in ctx.ct.clean.split("\n"):
        start, pos = pos, pos + len(line) + 1
        m = rx.match(line)
        if m:
            article = int(m.group("article"))
            continue
        body = line.strip().lstrip("•-*–").strip()
        if article is None or not body:
            continue
        hits = ctx.gz.find_states(body)
        if hits and len(body) - (hits[0].end - hits[0].start) <= 1:
            s = start + line.find(body)
            add_event(
                ctx,
                ObligationEventRecord(
                    ctx.state_ref(hits[0].key, hits[0].written),
                    article,
                    "extension-requested",
                    ctx.passage(s, s + len(body)),
                ),
            )


def read_duty_sentences(ctx: Ctx) -> None:
    """Completion declarations and the like, read per sentence with the token view."""
    chosen = [r for r in rules("duties") if r.reader == "read_duty_sentences"]
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            tok, table = tokenise(ctx, sent)
            for r in chosen:
                m = r.search(tok)
                if not m:
                    continue
                idx = re.findall(r"⟨S(\d+)⟩", m.group("who"))
                if not idx:
                    continue
                _, key, written = table[int(idx[0])]
                dates = [d.date for d in md.find_dates(sent) if d.date and not d.inferred]
                day = dates[0] if dates else None
                add_event(
                    ctx,
                    ObligationEventRecord(
                        ctx.state_ref(key, written),
                        int(r.value("article", m)),
                        str(r.fields["event"]),
                        ctx.passage(s, e, p.section),
                        date=day,
                        text=sent.strip(),
                    ),
                )
