"""Composition lists of the Coordination Committee: one post per line, often a flattened table.

Layouts read (each line short, naming at least one State and nothing but States, years and
meeting codes after its label):
- 'Label State Period' with continuation lines 'State Period' under the same area label;
- 'Label State and State' (no periods: the list's own years are the evidence);
- presidency rows 'President State 3MSP', 'President-designate State 1RC', 'Presidency State';
- '- Area (State and State)' bullets; under a line that introduces working groups ('… working
  groups … as follows:') each such row is also a working group, led by its States.
A line whose label is neither an area nor a presidency post ends the area above it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import OTHER_TREATY, Ctx
from ccmkg.loaders.readers.holdings import _DESIGNATE, _PAST, _PRESIDENT, add_holding
from ccmkg.loaders.readers.rules import rule
from ccmkg.loaders.records import Passage, PostKind, WorkingGroupRecord

MAX_LINE = 140


def _post(label: str) -> PostKind | None:
    if _DESIGNATE.search(label):
        return "president-designate"
    if _PAST.search(label):
        return "past-president"
    if _PRESIDENT.search(label):
        return "president"
    return None


def read_composition_table(ctx: Ctx) -> None:
    """Posts from the rows of a composition table (see the module docstring)."""
    rest_rx = rule("composition", "row-remainder").pattern
    intro_rx = rule("composition", "working-groups-listed-as-follows").pattern
    text = ctx.ct.clean
    area: str | None = None
    groups: Passage | None = None  # the line introducing a list of working groups, if any
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        body = line.strip()
        if not body:
            continue
        if intro_rx.search(body):
            groups = ctx.passage(start + len(line) - len(line.lstrip()), start + len(line.rstrip()))
            continue
        if len(body) > MAX_LINE or OTHER_TREATY.search(body):
            groups = None
            continue
        states = ctx.gz.find_states(line)
        if not states:
            if ctx.gz.find_areas(body) and len(body) < 80 and not body.endswith("."):
                area = None  # a heading-like line that is not a row
            groups = None
            continue
        label = line[: states[0].start].strip()
        between = [line[a.end : b.start] for a, b in pairwise(states)]
        tail = line[states[-1].end :]
        if label.endswith("(") and tail.lstrip().startswith(")"):  # 'Area (State and State)'
            label, tail = label[:-1].rstrip(), tail.lstrip()[1:]
        if any(not re.fullmatch(r"\s*(?:,|and|&)?\s*(?:the\s+)?", g) for g in between):
            groups = None
            continue  # words between the States: prose
        if not rest_rx.fullmatch(tail):
            groups = None
            continue
        post = _post(label) if label else None
        areas = ctx.gz.find_areas(label) if label else []
        if label and post is None and not areas:
            area = None  # 'Representatives CMC' and the like end the area above
            continue
        years = tuple(sorted({int(y) for y in re.findall(r"(?:19|20)\d{2}", tail)}))
        refs = [r for r, _, _ in md.find_meeting_refs(tail)]
        pas = ctx.passage(start + len(line) - len(line.lstrip()), start + len(line.rstrip()))
        if post is not None:
            for s in states:
                add_holding(
                    ctx,
                    ctx.state_ref(s.key, s.written),
                    post,
                    pas,
                    meeting=refs[0] if refs else None,
                )
            area = None
            continue
        if areas:
            area = areas[0].key if len({a.key for a in areas}) == 1 else None
        if area is None:
            continue
        leads = [ctx.state_ref(s.key, s.written) for s in states]
        for ref in leads:
            add_holding(ctx, ref, "coordinator", pas, area=area, mandate_years=years)
        if groups is not None and areas:
            name = label.lstrip("-•*–· ").strip()
            ctx.ex.working_groups.append(
                WorkingGroupRecord(
                    name=name,
                    passage=ctx.passage(groups.start, pas.end),
                    area=area,
                    event="established",
                    leads=leads,
                )
            )
