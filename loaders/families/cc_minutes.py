"""Coordination Committee minutes, in either layout: delegation blocks with persons under each
(numbered sections, 'PRESENT', 'APOLOGIES') or a bulleted attendee list with roles in brackets
('Agenda Item N - …', '(Coord. …):' bullets, 'Action point:' lines)."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.gazetteer import person_key
from ccmkg.loaders.readers.agenda import read_action_points, read_numbered_agenda
from ccmkg.loaders.readers.attendance import is_apology_line, read_apologies, read_attendance
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.dating import date_fields, date_passage
from ccmkg.loaders.readers.head import body_format, read_document_head
from ccmkg.loaders.readers.holdings import (
    holders_of,
    read_heading_holdings,
    read_sentence_holdings,
)
from ccmkg.loaders.readers.minutes import read_minutes_approvals, read_next_meeting
from ccmkg.loaders.readers.obligations import read_aggregates, read_obligations
from ccmkg.loaders.readers.presidency import settle_presidencies
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.records import MeetingRecord, PersonRef
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

TITLE = re.compile(
    r"(?:minutes|meeting).{0,60}(?:coordination|coordinating)\s+committee|"
    r"(?:coordination|coordinating)\s+committee.{0,20}(?:meeting|minutes)|corcom",
    re.IGNORECASE,
)
_CHAIR = re.compile(
    r"(?:Ambassador|H\.E\.|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+(?P<n>(?:[A-Z][\w'’-]+|van|der|de)"
    r"(?:\s+(?:[A-Z][\w'’-]+|van|der|de|[A-Z]\.)){1,4})"
)


def detect(head: str) -> int:
    """The Committee named, plus 'minutes' and an attendance word: 3 or more."""
    h = head.lower()
    score = 0
    if re.search(r"coordination\s+committee|corcom|coordinating\s+committee", h):
        score += 2
    if re.search(r"\bminutes\b", h):
        score += 1
    if re.search(r"\b(present|attendees|apologies)\b", h):
        score += 1
    return score if score >= 3 else 0


def extract(ctx: Ctx) -> None:
    """Read every fact kind a CC minutes document carries."""
    head = read_document_head(ctx, TITLE)
    ex = ctx.ex
    read_attendance(ctx)
    read_apologies(ctx)
    read_heading_holdings(ctx)
    read_sentence_holdings(ctx)
    settle_presidencies(ctx)  # "the Nicaraguan presidency" is the one the minutes name elsewhere
    read_numbered_agenda(ctx)
    read_action_points(ctx)
    read_minutes_approvals(ctx)
    read_next_meeting(ctx)
    coordinators = holders_of(
        ctx, "coordinator", "president", "president-designate", "past-president"
    )
    read_obligations(ctx, coordinators)
    read_aggregates(ctx)
    read_working_groups(ctx)
    ordinal = md.find_meeting_ordinal(head.title or "") or md.find_meeting_ordinal(
        ctx.ct.clean[:4000]
    )
    meeting = MeetingRecord(
        "coordination-committee",
        ex.document.date,
        date_passage(head) or ex.document.passage,
        date_inferred=ex.document.date_inferred,
        start_time=head.start_time,  # type: ignore[arg-type]
        end_time=head.end_time,  # type: ignore[arg-type]
        venue=head.venue,
        format=head.format or body_format(ctx),
        ordinal=ordinal[0] if ordinal else None,
        ordinal_scope=ordinal[1] if ordinal else None,
        title=head.title,
        **date_fields(ctx, head, ordinal[:2] if ordinal else None),
    )
    _chair(ctx, meeting)
    ex.meeting = meeting
    if ex.document.date is None:
        ctx.warn("no meeting date found in the head of the minutes")


def _chair(ctx: Ctx, meeting: MeetingRecord) -> None:
    """The presidency chairs the Committee; its person is the first of its delegation named
    in the opening section."""
    presidents = [h for h in ctx.ex.holdings if h.post == "president"]
    present = {a.actor.key: a for a in ctx.ex.attendance}
    chair = next((h.holder for h in presidents if h.holder.key in present), None)
    if chair is None:
        return
    meeting.chair = chair
    people = {p.person.key: p.person for p in present[chair.key].participants}
    lists_end = max(
        (
            b.items[-1].end if b.items else b.head.end
            for b in ctx.blocks
            if b.label in ("present", "apologies-received", "apologies-not-received")
        ),
        default=0,
    )
    # Lists read off a run-on line have no block: they end where their last record was read.
    ends = [a.passage.end for a in ctx.ex.attendance] + [a.passage.end for a in ctx.ex.apologies]
    read_end = max(ends, default=0)
    for p in ctx.paras:
        if (
            p.kind == "heading"
            or p.start < lists_end
            or ctx.ct.offsets[p.start] < read_end
            or is_apology_line(p.body)
            or not re.search(r"[^\W\d_]{3}", p.text)  # a section number on its own line
        ):
            continue
        for m in _CHAIR.finditer(p.text):
            person = _listed(person_key(m.group("n")), people)
            if person is not None:
                meeting.chair_person = person
                return
        break


def _listed(key: str, people: dict[str, PersonRef]) -> PersonRef | None:
    """The listed person a name refers to: the same key, or (one match only) the listed name
    that starts with it ("Mr. A Person" for "Mr. A Person Other" of the same delegation)."""
    if key in people:
        return people[key]
    longer = [p for k, p in people.items() if k.startswith(key + "-")]
    return longer[0] if len(longer) == 1 else None


FAMILY = Family(
    "coordination-committee-minutes", CCM.CoordinationCommitteeMinutes, detect, extract, priority=30
)
