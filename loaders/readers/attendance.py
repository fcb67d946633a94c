"""Who attended: the delegations present with their persons and roles, and the apologies.

Lists come from the blocks segment.py labels (present, apologies received / not received), in
any layout: one actor per line with persons under it, one line per delegation, or a table.
Apologies written in a line are rules (loaders/rules/attendance.yaml).
"""

from __future__ import annotations

import re

from ccmkg.loaders.gazetteer import looks_like_person, person
from ccmkg.loaders.readers.actors import (
    ORG_WORDS,
    list_names,
    looks_like_bare_person,
    split_actor,
    split_person,
)
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.holdings import read_role
from ccmkg.loaders.readers.rules import rules
from ccmkg.loaders.records import ApologyRecord, AttendanceRecord, ParticipantRecord, Passage


def _cells(text: str) -> list[str] | None:
    """Cells of a markdown/pipe table row; [] for a separator; None for a non-table line."""
    t = text.strip()
    if t.count("|") < 2:
        return None
    cells = [c.strip() for c in t.strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
        return []
    return cells


def read_attendance(ctx: Ctx) -> None:
    """Delegations present, their persons and roles, and posts stated beside a delegation."""
    for block in (b for b in ctx.blocks if b.label == "present"):
        current: AttendanceRecord | None = None
        for p in block.items:
            body = p.body
            pas = ctx.para_passage(p)
            cells = _cells(body)
            if cells is not None:
                current = _table_row(ctx, cells, pas, current)
                continue
            if looks_like_person(body):
                if current is None:
                    ctx.warn("person listed before any delegation", pas)
                    continue
                for written in re.split(r"\s*;\s*", body):
                    _add_person(ctx, current, written, pas)
                continue
            # "<State>: Mr. A; Ms. B (Intern)" — one line per delegation
            one_line = re.match(r"^(?P<a>[^:]{2,80}):\s*(?P<rest>.+)$", body)
            if one_line and looks_like_person(one_line.group("rest")):
                current = _add_actor(ctx, one_line.group("a"), pas)
                for written in re.split(
                    r"\s*[;]\s*|\s*,\s*(?=(?:H\.E\.|Mr|Ms|Mrs|Dr)\b)", one_line.group("rest")
                ):
                    if written.strip():
                        _add_person(ctx, current, written, pas)
                continue
            if current is not None and looks_like_bare_person(body) and not ctx.gz.actor(body):
                _add_person(ctx, current, body, pas)
                continue
            current = _add_actor(ctx, body, pas)


def _table_row(
    ctx: Ctx, cells: list[str], pas: Passage, current: AttendanceRecord | None
) -> AttendanceRecord | None:
    if not cells or not any(cells):
        return current
    first = cells[0]
    if re.fullmatch(r"(?i)delegation|state|organi[sz]ation|country|name", first):
        return current  # header row
    persons = [c for c in cells[1:] if looks_like_person(c)]
    roles = [c for c in cells[1:] if c and not looks_like_person(c)]
    if first:
        current = _add_actor(ctx, first + (f" ({roles[0]})" if roles and not persons else ""), pas)
    if current is None:
        return None
    for written in persons:
        role = roles[0] if roles else None
        _add_person(ctx, current, written + (f" - {role}" if role else ""), pas)
    return current


def _add_actor(ctx: Ctx, text: str, pas: Passage) -> AttendanceRecord:
    actor, written, role = split_actor(text, ctx.gz)
    if actor is None:
        actor = ctx.unresolved(
            written,
            pas,
            "state" if not ORG_WORDS.search(written) and not written.isupper() else "organization",
        )
    for rec in ctx.ex.attendance:
        if rec.actor.key == actor.key:
            current = rec
            break
    else:
        current = AttendanceRecord(actor, pas)
        ctx.ex.attendance.append(current)
    if role:
        read_role(ctx, actor, role, pas)
    return current


def _add_person(ctx: Ctx, current: AttendanceRecord, written: str, pas: Passage) -> None:
    name, role = split_person(written)
    ref = person(name)
    if not ref.name:
        return
    if any(x.person.key == ref.key for x in current.participants):
        return
    current.participants.append(ParticipantRecord(ref, pas, role))


# --- apologies -----------------------------------------------------------------------------


def read_apologies(ctx: Ctx) -> None:
    """Apologies received / not received: from blocks, or a line the attendance rules read."""
    for block in ctx.blocks:
        if not block.label.startswith("apologies"):
            continue
        received = block.label == "apologies-received"
        for p in block.items:
            for name in list_names(p.body):
                _add_apology(ctx, name, received, ctx.para_passage(p))
    line_rules = [r for r in rules("attendance") if r.produces == "apology"]
    for p in ctx.paras:
        for rule in line_rules:
            m = rule.pattern.match(p.body)
            if m:
                for name in list_names(rule.value("actor", m)):
                    _add_apology(ctx, name, rule.fields["received"], ctx.para_passage(p))


def is_apology_line(text: str) -> bool:
    """A line that lists apologies (and so names no speaker)."""
    return any(r.pattern.match(text) for r in rules("attendance") if r.produces == "apology")


def _add_apology(ctx: Ctx, name: str, received: bool, pas: Passage) -> None:
    actor, written, _ = split_actor(name, ctx.gz)
    if actor is None:
        actor = ctx.unresolved(written, pas, "state")
    if any(a.actor.key == actor.key and a.received == received for a in ctx.ex.apologies):
        return
    ctx.ex.apologies.append(ApologyRecord(actor, received, pas))
