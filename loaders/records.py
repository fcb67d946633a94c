"""Typed records: what the extractors read off a document, before it becomes triples.

This is the contract between the family extractors (which read) and emit.py (which writes
RDF). Every fact record carries the Passage it was read from, so nothing reaches the graph
without its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["state", "organization"]
MeetingKind = Literal[
    "coordination-committee",
    "friends-of-the-president",
    "meeting-of-states-parties",
    "review-conference",
    "intersessional",
    "workshop",
]
PostKind = Literal[
    "coordinator", "friend", "president", "president-designate", "past-president", "vice-president"
]
MeetingFormat = Literal["in-person", "hybrid", "virtual"]


@dataclass(frozen=True)
class Passage:
    """A span of the original file: `quote == original_text[start:end]` (code-point offsets)."""

    start: int
    end: int
    quote: str
    section: str | None = None


@dataclass(frozen=True)
class ActorRef:
    """A State or organisation as written, and what the gazetteer resolved it to.

    `key` is the ISO 3166-1 alpha-3 code (States) or the acronym (organisations); for a name
    that did not resolve it is a slug of the name and `resolved` is False (flagged for review).
    """

    kind: ActorKind
    key: str
    name_as_written: str
    label: str
    resolved: bool = True


@dataclass(frozen=True)
class PersonRef:
    """A person as written; `key` is the normalised name key that identifies them."""

    name_as_written: str
    name: str
    key: str
    honorific: str | None = None


@dataclass(frozen=True)
class MeetingRef:
    """A meeting named in the text, e.g. the 6MSP or the 2RC."""

    kind: MeetingKind
    ordinal: int | None = None
    label: str | None = None  # "6MSP", "2RC"


@dataclass
class DocumentRecord:
    sha256: str
    file_name: str
    family: str  # the name of its ccmkg.loaders.registry.Family
    title: str | None
    date: dt.date | None
    date_inferred: bool
    passage: Passage
    symbol: str | None = None
    family_iri: str | None = None  # its ccm:DocumentFamily; None: the registered family's


@dataclass
class MeetingRecord:
    """The meeting a document records (minutes) or addresses."""

    kind: MeetingKind
    date: dt.date | None
    passage: Passage
    date_inferred: bool = False
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    venue: str | None = None
    format: MeetingFormat | None = None
    ordinal: int | None = None
    ordinal_scope: str | None = None  # "of 2016", "under the UK Presidency"
    chair: ActorRef | None = None
    chair_person: PersonRef | None = None
    title: str | None = None
    # Partial knowledge: "stated", "inferred" (year from evidence) or "uncertain" (no date;
    # the weekday-consistent candidate years and the evidence weighed are kept instead).
    date_status: str = "stated"
    year_candidates: tuple[int, ...] = ()
    date_evidence: tuple[str, ...] = ()
    date_rule: str | None = None  # which rule fixed (or failed to fix) the year


@dataclass
class ParticipantRecord:
    person: PersonRef
    passage: Passage
    role: str | None = None  # "Intern", "Head of delegation"


@dataclass
class AttendanceRecord:
    actor: ActorRef
    passage: Passage
    participants: list[ParticipantRecord] = field(default_factory=list)


@dataclass
class ApologyRecord:
    actor: ActorRef
    received: bool
    passage: Passage
    persons: list[ParticipantRecord] = field(default_factory=list)  # listed under the delegation


@dataclass
class PostHoldingRecord:
    """A State (or organisation) holding a post, as attested by the passage on the doc's date."""

    holder: ActorRef | None  # None: the text names the person in the post, not the State
    post: PostKind
    passage: Passage
    area: str | None = None  # thematic-area slug for coordinator / friend posts
    topic: str | None = None  # a Friend's topic when it is not a thematic area
    meeting: MeetingRef | None = None  # the MSP/RC of a presidency role, where stated
    mandate_years: tuple[int, ...] = ()
    person: PersonRef | None = None  # who acts in the post for the holder (a President)


@dataclass
class ObligationEventRecord:
    state: ActorRef
    article: int | None  # None: the text does not say which Article (kept, never guessed)
    event: str  # see ontology: ccm:ObligationEventType individuals, by local name slug
    passage: Passage
    date: dt.date | None = None
    text: str | None = None
    deadline: dt.date | None = None  # the (new) deadline the event states, e.g. requested until
    meeting: MeetingRef | None = None  # where it happened ("approved at the 2RC"), if stated


@dataclass
class CalendarMeetingRecord:
    """A numbered MSP/RC as a calendar fact: when and where it took (or will take) place.

    Any part the text does not state stays None; the meeting is the one its ordinal names, so
    facts read from different documents join on the same IRI.
    """

    meeting: MeetingRef
    passage: Passage
    start: dt.date | None = None
    end: dt.date | None = None
    city: str | None = None
    planned: bool = False  # announced ("scheduled for", "will be held"), not reported


TreatyAction = Literal["signature", "ratification", "accession", "acceptance", "approval"]


@dataclass
class TreatyActionRecord:
    """A State's act on the Convention (depositary status lists, news of a ratification)."""

    state: ActorRef
    action: TreatyAction
    passage: Passage
    date: dt.date | None = None  # None: the text names the act without its date
    # "instrument": named only by the instrument deposited ("its instrument of ratification"),
    # which yields to a verb naming the other act of consent for the same State
    named_by: str = "verb"


@dataclass
class AggregateStatementRecord:
    article: int
    count: int
    text: str
    passage: Passage
    date: dt.date | None = None


@dataclass
class AgendaItemRecord:
    number: str | None
    title: str
    passage: Passage


@dataclass
class ActionPointRecord:
    text: str
    passage: Passage
    responsible: list[ActorRef] = field(default_factory=list)
    responsible_text: str | None = None
    due: dt.date | None = None
    due_text: str | None = None


@dataclass
class MinutesApprovalRecord:
    """'The minutes of the meeting held on D were approved' (D may conflict within a document)."""

    minutes_date: dt.date | None
    passage: Passage


@dataclass
class NextMeetingRecord:
    passage: Passage
    date: dt.date | None = None
    date_text: str | None = None
    start_time: dt.time | None = None
    venue: str | None = None
    date_inferred: bool = False  # the year was inferred (weekday + the document's own years)


@dataclass
class ConflictRecord:
    """Two (or more) claims in the record that cannot both be true; all are kept."""

    about: str  # what differs, for a person
    passages: list[Passage]
    values: list[str]


@dataclass
class WorkingGroupRecord:
    """A working group as a sentence states it: what it is about, who leads it or takes part,
    and whether it is being established or reported on.

    `date` is the date the text gives the event (the sentence, else the dateline it sits
    under), with its precision; None when the text does not say. The document's own date is
    the attestation, never the event's date.
    """

    name: str  # as written: "Coordinators on Victim Assistance", "Informal Working Group on …"
    passage: Passage
    area: str | None = None  # thematic-area slug
    topic: str | None = None  # a free topic when it is not a thematic area
    informal: bool = False
    event: Literal["established", "proposed", "reported"] = "reported"
    leads: list[ActorRef] = field(default_factory=list)
    members: list[ActorRef] = field(default_factory=list)
    representatives: list[ActorRef] = field(default_factory=list)  # acting for a member
    date: dt.date | None = None
    date_precision: Literal["day", "month", "year"] | None = None


@dataclass
class ReviewItemRecord:
    """A string read where a fact expected an actor but that names none the gazetteer knows
    (an unresolved name, a person, a page marker, a table fragment): kept for a person to
    review, never turned into an actor or a fact. `reason` is a slug of loaders/review.py."""

    text: str
    reason: str
    passage: Passage
    context: str | None = None  # the kind of fact it was read for ("attendance", "apology"…)


@dataclass
class Issue:
    """A warning or an unresolved name, with where it was found; reported, never fatal."""

    kind: Literal["warning", "unresolved"]
    message: str
    passage: Passage | None = None


@dataclass
class Extraction:
    """Everything read off one document."""

    document: DocumentRecord
    meeting: MeetingRecord | None = None
    attendance: list[AttendanceRecord] = field(default_factory=list)
    apologies: list[ApologyRecord] = field(default_factory=list)
    holdings: list[PostHoldingRecord] = field(default_factory=list)
    obligation_events: list[ObligationEventRecord] = field(default_factory=list)
    aggregate_statements: list[AggregateStatementRecord] = field(default_factory=list)
    agenda: list[AgendaItemRecord] = field(default_factory=list)
    action_points: list[ActionPointRecord] = field(default_factory=list)
    minutes_approvals: list[MinutesApprovalRecord] = field(default_factory=list)
    next_meeting: NextMeetingRecord | None = None
    calendar: list[CalendarMeetingRecord] = field(default_factory=list)
    treaty_actions: list[TreatyActionRecord] = field(default_factory=list)
    conflicts: list[ConflictRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    working_groups: list[WorkingGroupRecord] = field(default_factory=list)
    review: list[ReviewItemRecord] = field(default_factory=list)
