"""Working groups stated in running text, in any genre: who leads or takes part, about what,
established or reported on, and when the text says so.

The sentence rules and the clauses around a named group are data (loaders/rules/
working_groups.yaml); this module applies them on a token view where only names the gazetteers
resolve are actors, so an unresolved name never becomes a member. The event date is the one
the sentence states; a yearless day takes its year from the dateline the paragraph sits under
("May 2017" above "… on 29-30 May"); without either the date stays unknown. The document's
date is never used: it is the attestation, not the event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import OTHER_TREATY, Ctx, sentences
from ccmkg.loaders.readers.prefilter import may_match
from ccmkg.loaders.readers.rules import Rule, _compile, rules, rules_dir, untokenised_gate
from ccmkg.loaders.records import ActorRef, Passage, WorkingGroupRecord
from ccmkg.loaders.review import add_review
from ccmkg.loaders.segment import Paragraph
from ccmkg.model.names import fold

SUBJECT = "working_groups"
Token = tuple[str, str, str, str]  # (kind S|O|A, key, as written, label)
Precision = Literal["day", "month", "year"]
Event = Literal["established", "proposed", "reported"]
NEAR = 40  # characters around a group's name where a cue ("set up") is about the group

# A paragraph that is only a date: "May 2018", "5 September 2018", "2019" (an activity log).
_MONTHS = "|".join(sorted(md.MONTHS, key=len, reverse=True))
_DATELINE = re.compile(
    rf"^\s*(?:(?P<day>[0-3]?\d)\s+)?(?:(?P<mon>{_MONTHS})\.?\s+)?(?P<year>(?:19|20)\d{{2}})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dated:
    date: dt.date
    precision: Precision


@dataclass(frozen=True)
class Data:
    """What the rule file holds besides its rules."""

    article_areas: dict[str, str]
    clauses: dict[str, re.Pattern[str]]


@cache
def data() -> Data:
    raw = yaml.safe_load((rules_dir() / f"{SUBJECT}.yaml").read_text(encoding="utf-8"))
    placeholders = {k: str(v).strip() for k, v in (raw.get("placeholders") or {}).items()}
    clauses = {
        name: _compile(str(pattern), placeholders, re.IGNORECASE, f"{SUBJECT}.yaml: {name}")
        for name, pattern in (raw.get("clauses") or {}).items()
    }
    areas = {str(k): str(v) for k, v in (raw.get("article_areas") or {}).items()}
    return Data(areas, clauses)


# --- tokens ----------------------------------------------------------------------------------


def tokenise(ctx: Ctx, text: str) -> tuple[str, list[Token]]:
    """States ⟨Sn⟩, organisations ⟨On⟩ and thematic areas ⟨An⟩ as tokens; longest hit wins."""
    hits: list[tuple[int, int, Token]] = []
    for m in ctx.gz.find_actors(text):
        kind = "S" if m.kind == "state" else "O"
        label = (ctx.gz.state_labels if kind == "S" else ctx.gz.org_labels).get(m.key, m.written)
        hits.append((m.start, m.end, (kind, m.key, m.written, label)))
    for m in ctx.gz.find_areas(text):
        hits.append((m.start, m.end, ("A", m.key, m.written, m.written)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[str] = []
    table: list[Token] = []
    pos = 0
    for start, end, token in hits:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(f"⟨{token[0]}{len(table)}⟩")
        table.append(token)
        pos = end
    out.append(text[pos:])
    return "".join(out), table


def _untokenise(text: str, table: list[Token]) -> str:
    return re.sub(r"⟨[SOA](\d+)⟩", lambda m: table[int(m.group(1))][2], text)


def _actors(group: str | None, table: list[Token]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for i in re.findall(r"⟨[SO](\d+)⟩", group or ""):
        kind, key, written, label = table[int(i)]
        ref = ActorRef("state" if kind == "S" else "organization", key, written, label)
        if ref.key not in {a.key for a in out}:
            out.append(ref)
    return out


# --- dates -----------------------------------------------------------------------------------


def dateline(text: str) -> Dated | None:
    """The date of a paragraph that is only a date, with its precision."""
    m = _DATELINE.match(text)
    if not m:
        return None
    year = int(m.group("year"))
    if m.group("mon"):
        month = md.MONTHS[m.group("mon").lower()]
        if m.group("day"):
            day = md._build(year, month, int(m.group("day")))
            return Dated(day, "day") if day else None
        return Dated(dt.date(year, month, 1), "month")
    return None if m.group("day") else Dated(dt.date(year, 1, 1), "year")


def stated_date(sentence: str, under: Dated | None) -> Dated | None:
    """The first day the sentence states (a range gives its first day); a yearless day takes
    the dateline's year only; without a day, the dateline; else None."""
    years: Counter[int] = Counter({under.date.year: 1}) if under else Counter()
    found = md.find_date_range(sentence, years)
    days = [(d.start, d.date) for d in md.find_dates(sentence, years) if d.date is not None]
    if found:
        days.append((found[2], found[0]))
    if days:
        return Dated(min(days)[1], "day")
    return under


# --- the reader ------------------------------------------------------------------------------


def read_working_groups(ctx: Ctx) -> None:
    """Every working group the sentences state, each with its sentence as passage."""
    chosen = [r for r in rules(SUBJECT) if r.reader == "read_working_groups"]
    # A date-only line dates the entries under it (an activity log), unless it is the lone
    # line that gives the document's own date: that is the attestation, never an event's.
    is_log = sum(dateline(p.text) is not None for p in ctx.paras) >= 2
    own = ctx.ex.document.date
    under: Dated | None = None
    gate = untokenised_gate(chosen)
    for p in ctx.paras:
        head = dateline(p.text)
        if head is not None:
            under = head if is_log or own is None or head.date != own else None
            continue
        if p.kind == "heading":
            continue
        for s, e, sent in sentences(p):
            if OTHER_TREATY.search(sent):
                continue
            if not may_match(gate, sent):
                continue  # no rule's words here: not worth tokenising
            _read_sentence(ctx, chosen, p, s, e, sent, under)


def _read_sentence(
    ctx: Ctx, chosen: list[Rule], p: Paragraph, s: int, e: int, sent: str, under: Dated | None
) -> None:
    tok, table = tokenise(ctx, sent)
    taken: list[tuple[int, int]] = []
    for rule in chosen:
        for m in rule.finditer(tok):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # one statement, one record: the first rule that reads it
            record = _record(ctx, rule, m, tok, table, ctx.passage(s, e, p.section))
            if record is None:
                continue
            taken.append((m.start(), m.end()))
            when = stated_date(sent, under)
            if when is not None:
                record.date, record.date_precision = when.date, when.precision
            ctx.ex.working_groups.append(record)


def _record(
    ctx: Ctx, rule: Rule, m: re.Match[str], tok: str, table: list[Token], pas: Passage
) -> WorkingGroupRecord | None:
    """The record a match states, with each field filled as the rule declares; None when the
    group's subject (area or topic) cannot be read."""
    fields: dict[str, Any] = {}
    area_token = _group(m, "area")
    if rule.source("area") == "article-area":
        fields["area"] = data().article_areas.get(str(m.group("article")))
    elif area_token:
        fields["area"] = table[int(area_token[2:-1])][1]
    topic = _group(m, "topic")
    if topic and not fields.get("area"):
        area = ctx.gz.area(topic)
        if area:
            fields["area"] = area
        else:
            fields["topic"] = _untokenise(topic, table).strip()
    if not fields.get("area") and not fields.get("topic"):
        return None
    leads = _actors(_group(m, "who"), table) if rule.value("leads", m) else []
    members: list[ActorRef] = []
    reps: list[ActorRef] = []
    clauses = data().clauses
    if rule.source("leads") == "lead-clauses":
        rest = tok[m.end() :]
        for c in clauses["leads"].finditer(rest):
            leads += _actors(c.group("who"), table)
        for c in clauses["founders"].finditer(tok[: m.start()]):
            leads += _actors(c.group("who"), table)
    if rule.source("members") == "member-clauses":
        rest = tok[m.end() :]
        # A member named but not resolved goes to review (the guardrail), never into the group;
        # the members named after it ("with the X and the ⟨O0⟩ …") are still read.
        for c in clauses["unresolved_members"].finditer(tok[m.end() :]):
            name = re.sub(r"(?:\s+(?:of|for|on|and|the))+$", "", c.group("name"))
            if "⟨" not in name and len(name.split()) >= 2:
                add_review(ctx.ex, name, pas, "working-group")
                rest = re.sub(
                    re.escape(name) + r"\s*(?:,\s*(?:and\s+)?|\band\s+)(?:the\s+)?",
                    "",
                    rest,
                    count=1,
                )
        for c in clauses["members"].finditer(rest):
            members += _actors(c.group("who"), table)
            reps += _actors(c.group("rep"), table)
    event: Event = "reported"
    if rule.source("leads") == "lead-clauses":  # a named group: is it being set up?
        near = tok[max(0, m.start() - NEAR) : m.start()] + " " + tok[m.end() : m.end() + NEAR]
        if clauses["established"].search(near):
            event = "proposed" if clauses["proposed"].search(tok) else "established"
    return WorkingGroupRecord(
        name=_untokenise(m.group("name"), table).strip(),
        passage=pas,
        area=fields.get("area"),
        topic=fields.get("topic"),
        informal=bool(_group(m, "informal")) or "informal" in fold(m.group("name")),
        event=event,
        leads=_unique(leads),
        members=_unique(members),
        representatives=_unique(reps),
    )


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _unique(refs: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for r in refs:
        if r.key not in {o.key for o in out}:
            out.append(r)
    return out
