"""Every extraction rule (loaders/rules/*.yaml) on its own example sentences.

Each example is read as a tiny document (the example's section heading, then its text) by the
reader the rule names; the records of the kind the rule produces must be the expected ones,
in order, on the fields the example shows. Every passage must be the original slice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from helpers_read import passages

from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.holdings import tokenise
from ccmkg.loaders.readers.rules import RECORDS, Example, Rule, rules, subjects
from ccmkg.loaders.records import ActorRef, DocumentRecord, Extraction, MeetingRef, Passage
from ccmkg.loaders.text import clean

RULES = [r for s in subjects() for r in rules(s)]
EXAMPLES = [(r, e) for r in RULES for e in r.examples]


def _reader(rule: Rule) -> Callable[[Ctx], None]:
    module = importlib.import_module(f"ccmkg.loaders.readers.{rule.subject}")
    return getattr(module, rule.reader)  # type: ignore[no-any-return]


def _read(rule: Rule, example: Example) -> tuple[str, Ctx]:
    text = (f"{example.section}\n\n" if example.section else "") + example.text + "\n"
    doc = DocumentRecord("0" * 64, "example.txt", "unknown", example.title, None, False,
                         Passage(0, 0, ""))  # fmt: skip
    ctx = Ctx.build(clean(text), Extraction(doc))
    _reader(rule)(ctx)
    return text, ctx


def _plain(value: Any) -> Any:
    """Records as the examples write them: actors by key, meetings by label, times as HH:MM."""
    if isinstance(value, ActorRef):
        return value.key
    if isinstance(value, MeetingRef):
        return value.label
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def test_rule_files_exist_and_every_rule_has_a_positive_example() -> None:
    assert subjects(), "no rule files under loaders/rules/"
    for r in RULES:
        assert any(e.expect for e in r.examples), f"{r.subject}/{r.name} has no positive example"
        assert callable(_reader(r)), f"{r.subject}/{r.name}: reader {r.reader!r} not found"


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{r.subject}/{r.name}/{i}" for i, (r, _) in
                                        enumerate(EXAMPLES)]
)  # fmt: skip
def test_rule_reads_its_example(rule: Rule, example: Example) -> None:
    text, ctx = _read(rule, example)
    found = getattr(ctx.ex, RECORDS[rule.produces])
    records = [] if found is None else found if isinstance(found, list) else [found]
    got = [
        {k: _plain(getattr(rec, k)) for k in want}
        for rec, want in zip(records, example.expect, strict=False)
    ]
    assert (len(records), got) == (len(example.expect), [dict(w) for w in example.expect])
    for p in passages(records):
        assert text[p.start : p.end] == p.quote
    if example.expect:  # the example exercises this very rule, not only its neighbours
        view = tokenise(ctx, example.text)[0] if rule.view == "tokens" else example.text
        assert rule.pattern.search(view), f"{rule.name} does not match {view!r}"


def test_records_fields_named_by_rules_exist() -> None:
    """`produces.fields` name fields of the record kind (or its sources), never a typo."""
    from ccmkg.loaders import records

    kinds = {
        "meeting": records.MeetingRecord,
        "attendance": records.AttendanceRecord,
        "holding": records.PostHoldingRecord,
        "apology": records.ApologyRecord,
        "obligation-event": records.ObligationEventRecord,
        "aggregate-statement": records.AggregateStatementRecord,
        "action-point": records.ActionPointRecord,
        "minutes-approval": records.MinutesApprovalRecord,
        "next-meeting": records.NextMeetingRecord,
        "working-group": records.WorkingGroupRecord,
        "calendar-meeting": records.CalendarMeetingRecord,
        "treaty-action": records.TreatyActionRecord,
    }
    assert set(kinds) == set(RECORDS)
    for r in RULES:
        names = {f.name for f in dataclasses.fields(kinds[r.produces])}
        extra = set(r.fields) - names - {"holder", "actor", "state"}
        assert not extra, f"{r.subject}/{r.name}: no such field {sorted(extra)}"
        for e in r.examples:
            for rec in e.expect:
                assert set(rec) <= names, f"{r.subject}/{r.name}: example field not in record"
