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
from ccmkg.loaders.readers.roster import LABELS, is_roster_line, label_block, split_line
from ccmkg.loaders.readers.rules import rules
from ccmkg.loaders.records import ApologyRecord, AttendanceRecord, ParticipantRecord, Passage
from ccmkg.loaders.review import add_review, looks_like_person_name
from ccmkg.loaders.segment import Paragraph


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
        mode = "present"
        for p in block.items:
            body = p.body
            pas = ctx.para_passage(p)
            cells = _cells(body)
            if cells is not None:
                current = _table_row(ctx, cells, pas, current)
                continue
            if mode != "present" or (
                not re.match(r"^[^:]{2,80}:", body) and is_roster_line(body, ctx.gz)
            ):
                mode, last = _read_roster(ctx, p, mode, current)
                current = last if isinstance(last, AttendanceRecord) else None
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
        last: ApologyRecord | None = None
        for p in block.items:
            if looks_like_person_name(p.body):
                # A flattened two-column table: the person belongs to the delegation above.
                if last is None:
                    add_review(ctx.ex, p.body, ctx.para_passage(p), "apology")
                else:
                    _add_apology_person(last, p.body, ctx.para_passage(p))
                continue
            if is_roster_line(p.body, ctx.gz):
                _read_roster(ctx, p, block.label, None)
                last = ctx.ex.apologies[-1] if ctx.ex.apologies else None
                continue
            for name in list_names(p.body):
                last = _add_apology(ctx, name, received, ctx.para_passage(p))
    _read_flat_rosters(ctx)
    line_rules = [r for r in rules("attendance") if r.produces == "apology"]
    for p in ctx.paras:
        for rule in line_rules:
            m = rule.match(p.body)
            if m:
                for name in list_names(rule.value("actor", m)):
                    _add_apology(ctx, name, rule.fields["received"], ctx.para_passage(p))


def is_apology_line(text: str) -> bool:
    """A line that lists apologies (and so names no speaker)."""
    return any(r.match(text) for r in rules("attendance") if r.produces == "apology")


def _add_apology(ctx: Ctx, name: str, received: bool, pas: Passage) -> ApologyRecord:
    actor, written, _ = split_actor(name, ctx.gz)
    if actor is None:
        actor = ctx.unresolved(written, pas, "state")
    for a in ctx.ex.apologies:
        if a.actor.key == actor.key and a.received == received:
            return a
    rec = ApologyRecord(actor, received, pas)
    ctx.ex.apologies.append(rec)
    return rec


def _add_apology_person(rec: ApologyRecord, written: str, pas: Passage) -> None:
    name, role = split_person(written)
    ref = person(name)
    if ref.name and all(x.person.key != ref.key for x in rec.persons):
        rec.persons.append(ParticipantRecord(ref, pas, role))


# --- flattened rosters ---------------------------------------------------------------------


def _read_roster(
    ctx: Ctx, p: Paragraph, mode: str, current: AttendanceRecord | ApologyRecord | None
) -> tuple[str, AttendanceRecord | ApologyRecord | None]:
    """Read one flattened roster line (roster.split_line) in `mode` (the block it is in).

    A delegation followed by persons under "apologies not received" is a row of the PRESENT
    table that the flattening put after that label (a delegation that sent no word names no
    one): it is read as present."""
    chunks = split_line(p.text, ctx.gz)
    prev = None
    for i, c in enumerate(chunks):
        pas = ctx.passage(p.start + c.start, p.start + c.end, p.section)
        if c.kind == "label":
            mode, current = c.key or "present", None
        elif c.kind == "actor":
            role = ""
            if i + 1 < len(chunks) and chunks[i + 1].kind == "rest":
                role = chunks[i + 1].text
            if mode == "present" or (
                mode == "apologies-not-received"
                and i + 1 < len(chunks)
                and any(x.kind == "person" for x in chunks[i + 1 : i + 2 + bool(role)])
            ):
                current = _add_actor(ctx, c.text + (f" - {role}" if role else ""), pas)
                ctx.ex.apologies = [
                    a for a in ctx.ex.apologies if not (a.actor.key == c.key and not a.received)
                ]
            else:
                current = _add_apology(ctx, c.text, mode == "apologies-received", pas)
        elif c.kind == "person":
            if isinstance(current, AttendanceRecord):
                _add_person(ctx, current, c.text, pas)
            elif isinstance(current, ApologyRecord):
                _add_apology_person(current, c.text, pas)
            else:
                add_review(ctx.ex, c.text, pas, "attendance")
        elif prev is not None and prev.kind == "person" and c.text.startswith("("):
            if isinstance(current, AttendanceRecord) and current.participants:
                last = current.participants[-1]
                last.role = last.role or c.text.strip("()").strip() or None
        elif prev is None or prev.kind != "actor":
            add_review(ctx.ex, c.text, pas, "attendance")
        prev = c
    return mode, current


_INLINE_START = re.compile(
    r"(?:(?<!\S)\d{1,2}\.\s*)?\b(?:Present|PRESENT|List\s+of\s+attendees)\s*:"
)


def _read_flat_rosters(ctx: Ctx) -> None:
    """A PRESENT list that starts inside a run-on line ("… hours 1. Present: State Mr. A …")
    and the flattened rows after it, until a heading or running text."""
    if any(b.label == "present" for b in ctx.blocks):
        return
    in_blocks = {id(p) for b in ctx.blocks for p in [b.head, *b.items]}
    paras = ctx.paras
    for i, p in enumerate(paras):
        m = _INLINE_START.search(p.text) if id(p) not in in_blocks else None
        if m is None:
            continue
        head = Paragraph(p.start + m.start(), p.end, p.text[m.start() :], "text", None, p.section)
        mode, current = _read_roster(ctx, head, "present", None)
        for q in paras[i + 1 :]:
            if q.kind == "heading" or len(q.text) > 300 or id(q) in in_blocks:
                break
            if not (is_roster_line(q.text, ctx.gz) or ctx.gz.actor(q.text) or LABELS.match(q.text)):
                break
            mode, current = _read_roster(ctx, q, mode, current)
        return


__all__ = ["label_block", "read_apologies", "read_attendance"]
