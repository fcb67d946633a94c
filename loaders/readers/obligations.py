"""Obligations under Articles 3, 4 and 7: events tied to a State, and counts of States.

The event cues and the count pattern are rules (loaders/rules/obligations.yaml); here is how
a sentence gets its Article (an explicit Article, else the section's area, else keywords) and
its States (the object of the sentence, not the speakers). Counts about many States become
AggregateStatementRecords, never per-State facts.
"""

from __future__ import annotations

import re

from ccmkg.loaders.readers.context import Ctx, section_area, sentences
from ccmkg.loaders.readers.prefilter import Prefiltered
from ccmkg.loaders.readers.rules import rule, rules
from ccmkg.loaders.records import AggregateStatementRecord, ObligationEventRecord

_ARTICLE = re.compile(r"\bArticles?\s+(?P<n>\d{1,2})(?:\s+and\s+(?P<n2>\d{1,2}))?", re.I)
_KEYWORD_ARTICLE: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"\bstockpil\w*", re.I), 3),
    (re.compile(r"\bclearance\b|\bcontaminat\w*|\bremnants\b", re.I), 4),
    (re.compile(r"\btransparency\b|\binitial\s+reports?\b|\bannual\s+reports?\b", re.I), 7),
]
_AREA_ARTICLE = {
    "stockpile-destruction-and-retention": 3,
    "clearance-and-risk-reduction": 4,
    "transparency-measures": 7,
}
# A sentence (or its section) must be about an obligation before any cue is read in it.
_OBLIGATION_CONTEXT = Prefiltered(
    re.compile(
        r"\bArticles?\s+[347]\b|\bobligations?\b|\bextension\s+requests?\b|\bstockpil|\bclearance\b|"
        r"\breports?\b|\bcompl(?:y|iance)\b",
        re.I,
    )
)


def _article_of(text: str, sec_text: str, sec_area: str | None) -> int | None:
    nums = [int(m.group("n")) for m in _ARTICLE.finditer(text)]
    nums += [int(m.group("n2")) for m in _ARTICLE.finditer(text) if m.group("n2")]
    nums = [n for n in nums if n in (3, 4, 7)]
    if len(set(nums)) == 1:
        return nums[0]
    if sec_area in _AREA_ARTICLE:
        return _AREA_ARTICLE[sec_area]
    found = {n for rx, n in _KEYWORD_ARTICLE if rx.search(text)}
    if len(found) == 1:
        return found.pop()
    nums = [
        int(m.group("n")) for m in _ARTICLE.finditer(sec_text) if int(m.group("n")) in (3, 4, 7)
    ]
    if len(set(nums)) == 1:
        return nums[0]
    return None


def read_obligations(ctx: Ctx, coordinators: set[str] | None = None) -> None:
    """Article 3/4/7 events tied to a State, where a sentence ties them.

    The State must be the object of the sentence: speakers who report as coordinators or as
    the presidency (`coordinators`, keys) are not the State the obligation is about, unless the
    section is about them.
    """
    coordinators = coordinators or set()
    cues = [r for r in rules("obligations") if r.produces == "obligation-event"]
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        sec_title = " ".join(h.title for h in p.parents)
        sec_area = section_area(ctx, p)
        sec_states = {
            m.key
            for h in p.parents[-1:]
            for m in ctx.gz.find_states(h.title)
            if h.level == 3 or not ctx.gz.find_areas(h.title)
        }
        for s, e, sent in sentences(p):
            if not _OBLIGATION_CONTEXT.search(sent + " " + sec_title):
                continue
            article = _article_of(sent, sec_title, sec_area)
            if article is None:
                continue
            fired = [r for r in cues if r.search(sent)]
            if not fired:
                continue
            states = _object_states(ctx, sent, coordinators, sec_states)
            pas = ctx.passage(s, e, p.section)
            for key, written in states:
                actor = ctx.state_ref(key, written)
                for cue in fired:
                    if cue.when.get("article", article) != article:
                        continue
                    ev = cue.fields["event"]
                    if any(
                        (o.state.key, o.article, o.event, o.passage) == (key, article, ev, pas)
                        for o in ctx.ex.obligation_events
                    ):
                        continue
                    ctx.ex.obligation_events.append(
                        ObligationEventRecord(actor, article, ev, pas, text=sent.strip())
                    )


def _object_states(
    ctx: Ctx, sent: str, coordinators: set[str], sec_states: set[str]
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in ctx.gz.find_states(sent):
        if m.key in seen:
            continue
        if m.key in coordinators and m.key not in sec_states:
            continue
        if re.search(r"\b[A-Z][a-z]+,\s*$", sent[: m.start]) and not ctx.gz.state(
            re.findall(r"([A-Z][a-z]+),\s*$", sent[: m.start])[0]
        ):
            continue  # "in <city>, <State>": a place named for a city, not the State concerned
        # "X had indicated its interest in … a country coalition to assist Y": X is a helper.
        after = sent[m.end : m.end + 40]
        if re.match(
            r"\s+had\s+indicated\s+its\s+interest|\s+has\s+an\s+embassy|,?\s+in\s+its\s+capacity",
            after,
        ) or re.match(r"\s+had\s+an\s+embassy", after):
            continue
        seen.add(m.key)
        out.append((m.key, m.written))
    if not out:
        for key in sorted(sec_states):
            if re.search(r"\b(?:it|its|they|their)\b", sent, re.I):
                out.append((key, ctx.gz.state_labels.get(key, key)))
    return out


# --- counts --------------------------------------------------------------------------------

_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip


def read_aggregates(ctx: Ctx) -> None:
    """Counts of States about an obligation ('9 States Parties with overdue initial reports')."""
    count = rule("obligations", "count-of-states-or-reports")
    for p in ctx.paras:
        if p.kind == "heading":
            continue
        for s, e, sent in sentences(p):
            for m in count.finditer(sent):
                article = _aggregate_article(sent[m.start() : m.end() + 120])
                if article is None:
                    continue
                tok = count.value("count", m).lower()
                n = int(tok) if tok.isdigit() else _NUM_WORDS.get(tok)
                if n is None:
                    continue
                pas = ctx.passage(s, e, p.section)
                ctx.ex.aggregate_statements.append(
                    AggregateStatementRecord(article, n, sent.strip(), pas)
                )


def _aggregate_article(window: str) -> int | None:
    """The Article a count is about, read in the words that follow it; None for money."""
    w = window.lower()
    if re.search(
        r"contribut|paid|payment|budget|fund|signatory\s+states\s+to\s+discuss|workshop", w[:80]
    ):
        return None
    if re.search(r"\breports?\b|\breporting\b|article\s+7|transparency", w):
        return 7
    if re.search(r"stockpil|article\s+3", w):
        return 3
    if re.search(r"clearance|contaminat|article\s+4|extension", w):
        return 4
    return None
