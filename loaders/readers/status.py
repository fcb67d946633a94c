"""Treaty actions: rows of a depositary status list, news sentences, and lists under a heading.

Rows may be flattened into one line ("<State> <date> <date> <State> <date> a<State> …"), with
footnote numbers glued to a name and an act's marker letter glued to the next name: States are
found in a view of the line where digits and such glued letters are blanked (same length, so
offsets hold), and each State's acts are the dates that follow it before the next State.
"""

from __future__ import annotations

import datetime as dt
import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.holdings import tokenise
from ccmkg.loaders.readers.prefilter import may_match
from ccmkg.loaders.readers.rules import rule, untokenised_gate
from ccmkg.loaders.records import ActorRef, Passage, TreatyAction, TreatyActionRecord

MARKERS: dict[str, TreatyAction | None] = {
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "n": None,  # provisional application: not an act of consent
}
UNMARKED: tuple[TreatyAction, ...] = ("signature", "ratification")
_GLUED = re.compile(r"\d|(?<=[\s\d])[a-zA]{1,2}(?=[A-Z][a-z])|[a-z](?=[A-Z][a-z])")
_LEAD = re.compile(r"^\s*(?:\d{1,2}(?!\d|\s+[A-Z][a-z])|\([^()\n]{1,40}\))")
_ACT_WORD: dict[str, str] = {
    "ratify": "ratification",
    "ratified": "ratification",
    "accede": "accession",
    "acceded": "accession",
    "signed": "signature",
}
# The two acts of consent a State gives once: an instrument's name yields to the verb's.
_CONSENT: frozenset[str] = frozenset({"ratification", "accession"})
_ACT_NOUN: dict[str, TreatyAction] = {
    "ratified": "ratification",
    "acceded": "accession",
    "ratifications": "ratification",
    "accessions": "accession",
}


def _year(text: str) -> int:
    """'08' -> 2008: the Convention's acts are all of this century."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _date(m: re.Match[str]) -> dt.date | None:
    month = md.MONTHS.get(m.group("mon").lower().rstrip("."))
    if month is None:
        month = md.MONTHS.get(m.group("mon")[:3].lower())
    try:
        return dt.date(_year(m.group("year")), month, int(m.group("day"))) if month else None
    except ValueError:
        return None


def add_action(ctx: Ctx, rec: TreatyActionRecord) -> None:
    """One fact per State and act: a dated statement replaces an undated one, never the reverse."""
    for i, old in enumerate(ctx.ex.treaty_actions):
        if (old.state.key, old.action) == (rec.state.key, rec.action):
            if old.date is None and rec.date is not None:
                if old.named_by == "verb":
                    rec.named_by = "verb"  # a verb stated it: the act stays named by a verb
                ctx.ex.treaty_actions[i] = rec
            return
    ctx.ex.treaty_actions.append(rec)


def read_status_rows(ctx: Ctx) -> None:
    """'<State> <date>[ marker] [<date>[ marker]]' rows, one per line or run together."""
    act_rx = rule("status", "dated-act-in-a-status-row").pattern
    text = ctx.ct.clean
    view = _GLUED.sub(lambda m: " " * len(m.group(0)), text)
    states = ctx.gz.find_states(view)
    for i, s in enumerate(states):
        stop = states[i + 1].start if i + 1 < len(states) else len(text)
        stop = min(stop, text.find("\n\n", s.end) if "\n\n" in text[s.end : stop] else stop)
        segment = text[s.end : stop]
        unmarked = 0
        pos = 0
        for m in act_rx.finditer(segment):
            gap = segment[pos : m.start()]
            if pos == 0:  # a footnote number or a parenthesised name part may follow the name
                gap = _LEAD.sub("", gap)
            if gap.strip(" \t\n;,.()*†"):
                break  # words between: prose, not a row
            pos = m.end()
            day = _date(m)
            mark = m.group("mark")
            if mark is not None:
                action = MARKERS[mark]
            elif unmarked < len(UNMARKED):
                action, unmarked = UNMARKED[unmarked], unmarked + 1
            else:
                action = None
            if action is None or day is None:
                continue
            actor = ctx.state_ref(s.key, text[s.start : s.end])
            add_action(
                ctx, TreatyActionRecord(actor, action, ctx.passage(s.start, s.end + m.end()), day)
            )


def read_status_sentences(ctx: Ctx) -> None:
    """A State's act stated in a sentence, dated as the rule says (see `act_date`)."""
    chosen = [r for r in _rules() if r.reader == "read_status_sentences"]
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        for s, e, sent in sentences(p):
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            tok, table = tokenise(ctx, sent)
            for r in chosen:
                for m in r.finditer(tok):
                    idx = re.findall(r"⟨S(\d+)⟩", m.group("who"))
                    days: list[dt.date | None] = [None] * len(idx)
                    if r.source("date") == "date-in-sentence":
                        dates = [d.date for d in md.find_dates(sent) if d.date and not d.inferred]
                        days = [dates[0] if len(dates) == 1 else None] * len(idx)
                    elif r.source("date") == "date-of-act":
                        days = respective_days(ctx, tok, m, len(idx)) or (
                            [act_date(ctx, tok, m)] * len(idx)
                        )
                    word = r.value("action", m).lower()
                    act: TreatyAction = _ACT_WORD.get(word, word)  # type: ignore[assignment]
                    pas = ctx.passage(s, e, p.section)
                    for i, day in zip(idx, days, strict=True):  # "Fiji and Nepal have signed"
                        _, key, written = table[int(i)]
                        ref = ctx.state_ref(key, written)
                        named = r.value("named_by", m) or "verb"
                        add_action(ctx, TreatyActionRecord(ref, act, pas, day, named))
    _settle_consent(ctx)


def _settle_consent(ctx: Ctx) -> None:
    """One act of consent per State: an act named only by its instrument ("deposited its
    instrument of ratification") yields to the other act a verb states for the same State
    ("became the first country to accede"), which takes the instrument's day if it has none.
    Both stay when both are stated by verbs."""
    acts = ctx.ex.treaty_actions
    for mine in [a for a in acts if a.named_by == "instrument" and a.action in _CONSENT]:
        other = next(
            (
                a
                for a in acts
                if a.state.key == mine.state.key
                and a.action in _CONSENT
                and a.action != mine.action
                and a.named_by != "instrument"
            ),
            None,
        )
        if other is None:
            continue
        if other.date is None:
            other.date = mine.date
        acts.remove(mine)


# "on 7 and 8 October[ 2031] respectively": days in the order of the States named before.
_RESPECTIVELY = re.compile(
    r"^[^.;⟨]{0,40}?\b(?P<days>[0-3]?\d(?:\s*(?:,|and|&)\s*[0-3]?\d)+)\s+(?P<mon>[A-Z][a-z]+)"
    r"(?:\s+(?P<year>(?:19|20)\d{2}))?,?\s+respectively\b"
)


def respective_days(ctx: Ctx, tok: str, m: re.Match[str], n: int) -> list[dt.date | None] | None:
    """The days of n States' acts given 'respectively' after the match, one per State in
    order; None when the text gives no such list or its length differs from n. A list without
    its year takes the document's single year (as `act_date` does)."""
    r = _RESPECTIVELY.search(tok[m.end() :])
    if n < 2 or r is None:
        return None
    days = [int(d) for d in re.findall(r"\d+", r.group("days"))]
    month = md.MONTHS.get(r.group("mon")[:3].lower())
    year = int(r.group("year")) if r.group("year") else None
    if year is None and len(ctx.years) == 1:
        year = next(iter(ctx.years))
    if len(days) != n or month is None or year is None:
        return None
    try:
        return [dt.date(year, month, d) for d in days]
    except ValueError:
        return None


# What is not the day of an act: a State's entry into force, the day it becomes a Party.
_NOT_ACT_DAY = re.compile(
    r"(?:into\s+force|become|becoming|binding|enters?|effective)\b[^⟨]{0,40}$", re.I
)
# A dateline in parentheses, "(Geneva, 1 July 2031)": where and when the item was written.
_PLACE_DATE = re.compile(r"\(\s*[A-Z][^()\n,:]{1,40}[,:][^()\n]{1,30}\)")
_TODAY = re.compile(r"\btoday\b", re.I)
_CLAUSE_END = re.compile(r"[.;!?](?=\s|[\"“A-Z]|$)|\s+(?:and|but|while)\s+(?:will|would)\b")


def act_date(ctx: Ctx, tok: str, m: re.Match[str]) -> dt.date | None:
    """The day of the act a match states: the first date after it in its clause (before
    another State is named), else the one date the sentence gives; never a day the text ties
    to entry into force. A yearless day counts when its weekday fixes the year, or the
    document names a single year (a news item of that year). A parenthesised dateline
    "(Place, <date>)" is never the act's day."""
    found = []
    datelines = [(p.start(), p.end()) for p in _PLACE_DATE.finditer(tok)]
    for d in md.find_dates(tok, ctx.years):
        if d.date is None or _NOT_ACT_DAY.search(tok[max(0, d.start - 60) : d.start]):
            continue
        if any(a <= d.start < b for a, b in datelines):
            continue  # the item's dateline, not the act's day
        if d.inferred and not (
            (d.year_rule or "").startswith("weekday matches") or len(ctx.years) == 1
        ):
            continue
        found.append(d)
    end = _CLAUSE_END.search(tok, m.end())
    stop = end.start() if end else len(tok)
    for d in found:
        if m.end() <= d.start < stop and "⟨S" not in tok[m.end() : d.start]:
            return d.date
    if _TODAY.search(tok[m.start() : stop]):
        return item_day(ctx)
    return found[0].date if len(found) == 1 and found[0].start < m.start() else None


def item_day(ctx: Ctx) -> dt.date | None:
    """The day a news item's "today" means: the date of its "(Place, <date>)" dateline, else
    the document's own date."""
    m = _PLACE_DATE.search(ctx.ct.clean[:1500])
    dates = [d for d in md.find_dates(m.group(0)) if d.date and not d.inferred] if m else []
    return dates[0].date if dates else ctx.ex.document.date


def read_status_lists(ctx: Ctx) -> None:
    """States listed one per line under 'Who has ratified?' (undated acts)."""
    head_rx = rule("status", "list-of-states-that-ratified").pattern
    lines = _lines(ctx.ct.clean)
    for i, (start, _end, line) in enumerate(lines):
        m = head_rx.search(line)
        if not m:
            continue
        word = (m.group("act") or m.group("act2")).lower()
        act = _ACT_NOUN[word]
        for s2, e2, item in lines[i + 1 :]:
            body = item.strip().lstrip("-•*–").strip()
            if not body:
                if s2 > start + len(line) + 2 and ctx.ex.treaty_actions:
                    break
                continue
            hits = ctx.gz.find_states(body)
            if not hits or len(body) - (hits[0].end - hits[0].start) > 6:
                if len(body.split()) <= 4 and body[:1].isupper():
                    ctx.unresolved(body, _line_passage(ctx, s2, e2), "state")  # for review
                    continue
                break  # the list ends at the first line that is not a name
            actor: ActorRef = ctx.state_ref(hits[0].key, hits[0].written)
            add_action(ctx, TreatyActionRecord(actor, act, _line_passage(ctx, s2, e2)))


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _line_passage(ctx: Ctx, start: int, end: int) -> Passage:
    return ctx.passage(start, end)


def _rules():  # type: ignore[no-untyped-def]
    from ccmkg.loaders.readers.rules import rules

    return rules("status")
