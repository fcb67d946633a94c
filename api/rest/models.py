"""Response models of the REST API: the field names are the public contract (see /docs)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: a stable machine code, a sentence for a person, and what to do."""

    code: str = Field(examples=["bad-parameter"])
    message: str
    hint: str = ""


class DocumentRef(BaseModel):
    id: str = Field(description="IRI of the source document")
    title: str | None = None
    date: str | None = Field(None, description="Date of the document, YYYY-MM-DD")


class Source(BaseModel):
    """A citable passage: `quote == document text[start:end]` (Unicode code points)."""

    document: DocumentRef
    section: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    url: str | None = Field(None, description="Reference data: the web page the fact was read from")
    retrieved: str | None = Field(None, description="Reference data: the day it was read")
    text_url: str | None = Field(
        default=None,
        description="The document's full text with this passage highlighted "
        "(GET /documents/{id}?passage=start-end); null for reference pages",
    )

    @model_validator(mode="after")
    def _link_text(self) -> Source:
        if self.text_url is None:
            self.text_url = text_url(self.document.id, self.start, self.end)
        return self


_DOC_IRI = re.compile(r"/id/doc/([A-Za-z0-9._~-]+)$")


def text_url(document_iri: str, start: int | None = None, end: int | None = None) -> str | None:
    """`/documents/{id}?passage=start-end` for a document of the record (None for a web page)."""
    match = _DOC_IRI.search(document_iri)
    if match is None:
        return None
    url = f"/documents/{match.group(1)}"
    if start is not None and end is not None:
        url += f"?passage={start}-{end}"
    return url


class AreaRef(BaseModel):
    id: str
    slug: str
    label: str


class StateRef(BaseModel):
    id: str
    iso3: str | None = None
    label: str | None = None


class ActorRef(BaseModel):
    """A State (natural key `iso3`) or an organisation (natural key `acronym`)."""

    id: str
    type: Literal["state", "organization"] | None = None
    iso3: str | None = None
    acronym: str | None = None
    label: str | None = None


class MeetingRef(BaseModel):
    id: str
    label: str | None = Field(None, examples=["6MSP"])
    kind: Literal["MSP", "RC"] | None = None
    ordinal: int | None = None


LISTED_SOURCES_DOC = (
    "The passages (and reference pages) the item is read from; absent with sources=none"
)
TermBasis = Literal["stated", "inferred", "sighting"]
TERM_BASIS_DOC = (
    "What the term (start, end) rests on: stated (mandate years, or the MSP/RC presided, dated"
    " from MSP to MSP by the calendar), inferred (the intersessional period, MSP to MSP,"
    " around the days documents show the holder in the post) or sighting (only those days);"
    " null when the term has no dates"
)


class Coordinator(BaseModel):
    """A State holding a thematic coordinator post; `attested` are the dates documents say so."""

    id: str = Field(description="IRI of the post holding")
    role: Literal["coordinator", "friend"] | None = Field(
        None, description="coordinator, or friend: Friend of the President (2010-2011)"
    )
    area: AreaRef | None = Field(None, description="None only for a Friend on a topic")
    topic: str | None = Field(None, description="A Friend's topic when it is not an area")
    state: StateRef
    start: str | None = Field(None, description="First day of the term, if known")
    end: str | None = Field(None, description="Last day of the term, if known")
    term_basis: TermBasis | None = Field(None, description=TERM_BASIS_DOC)
    mandate_years: list[int] = []
    attested: list[str] = []
    sources: list[Source] = Field(default=[], description=LISTED_SOURCES_DOC)


class Presidency(BaseModel):
    id: str
    meeting: MeetingRef | None = None
    state: StateRef
    role: Literal["president", "president-designate", "past-president", "vice-president"]
    start: str | None = None
    end: str | None = None
    term_basis: TermBasis | None = Field(None, description=TERM_BASIS_DOC)
    attested: list[str] = []
    sources: list[Source] = Field(default=[], description=LISTED_SOURCES_DOC)


class PersonRef(BaseModel):
    id: str
    name: str | None = None
    honorific: str | None = None
    role: str | None = None
    sources: list[Source] = []


class PersonName(BaseModel):
    id: str
    name: str | None = None


class Meeting(BaseModel):
    id: str = Field(description="Last path segment of the meeting IRI; GET /meetings/{id}")
    iri: str
    date: str | None = None
    date_inferred: bool | None = Field(
        None, description="True when the record does not state the date in full (e.g. no year)"
    )
    end_date: str | None = Field(None, description="Last day of a meeting of several days")
    kind: str | None = Field(None, examples=["coordination-committee"])
    title: str | None = None
    label: str | None = Field(None, examples=["6MSP"])
    ordinal: int | None = Field(None, description="Its number, as the record counts it")
    ordinal_scope: str | None = Field(None, examples=["of 2016", "under the UK Presidency"])
    venue: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    format: str | None = Field(None, examples=["hybrid"])
    chair: ActorRef | None = None
    chair_person: PersonName | None = None
    disputed: dict[str, list[str | int]] = Field(
        {},
        description="Fields the sources state differently, with every value, sorted; the "
        "field above shows the first (which source says what: /conflicts)",
        examples=[{"date": ["2021-02-04", "2021-09-20"]}],
    )
    sources: list[Source] = Field(default=[], description=LISTED_SOURCES_DOC)


class Presence(BaseModel):
    actor: ActorRef
    persons: list[PersonRef]
    sources: list[Source] = []


class ApologyItem(BaseModel):
    actor: ActorRef
    received: bool | None = None
    sources: list[Source] = []


class TextItem(BaseModel):
    """An agenda item or action point: its wording as written, with its passage."""

    id: str
    number: str | None = None
    text: str | None = None
    responsible: str | None = None
    due: str | None = None
    sources: list[Source] = []


class MinutesApproved(BaseModel):
    id: str
    date: str | None = Field(
        None, description="Date of the earlier meeting whose minutes were approved"
    )
    sources: list[Source] = []


class NextMeeting(BaseModel):
    id: str
    date: str | None = None
    text: str | None = None
    sources: list[Source] = []


class MeetingDetail(Meeting):
    present: list[Presence] = []
    apologies: list[ApologyItem] = []
    agenda: list[TextItem] = []
    action_points: list[TextItem] = []
    previous_minutes_approved: list[MinutesApproved] = []
    next_meeting: list[NextMeeting] = []


class Actor(ActorRef):
    names: list[str] = Field([], description="Every spelling met in the record")
    needs_review: bool = False


class TimelineEvent(BaseModel):
    """One thing an actor did, in date order."""

    fact: str | None = Field(None, description="IRI of the fact (or of the meeting chaired)")
    date: str | None = None
    end: str | None = None
    received: bool | None = Field(None, description="For apologies: received or not")
    kind: str = Field(examples=["coordinator", "president", "attended", "apology", "obligation"])
    label: str | None = None
    ref: str | None = Field(None, description="IRI of the post, meeting or obligation involved")
    sources: list[Source] = []


class Timeline(BaseModel):
    actor: Actor
    items: list[TimelineEvent]
    count: int


class PersonMeeting(BaseModel):
    meeting: Meeting
    delegation: ActorRef
    role: str | None = None
    sources: list[Source] = []


class Person(BaseModel):
    id: str
    name: str | None = None
    honorific: str | None = None
    spellings: list[str] = []
    alternate_names: list[str] = []  # near spellings merged into this person
    needs_review: bool = False  # a near spelling was kept apart from this person
    documents: list[DocumentRef] = Field(
        [], description="The documents that name this person (under any spelling)"
    )


class NameMatch(BaseModel):
    """A spelling compared with a known person: merged, or kept apart for review, and why."""

    decision: str  # merged | review
    rule: str
    reason: str | None = None
    name: str | None = None  # the spelling met
    known_name: str | None = None
    person: str  # the person the spelling names
    known_person: str  # the person it was compared with
    sources: list[Source] = []  # where the spelling is read, and where the known person is


class PersonDetail(Person):
    meetings: list[PersonMeeting] = []
    name_matches: list[NameMatch] = []


class Obligation(BaseModel):
    id: str
    about: Literal["state", "states"] = Field(
        "state", description="state: an event of one State; states: a statement about several "
        "States at once (a count, no State named)"
    )  # fmt: skip
    state: StateRef | None = None
    count: int | None = Field(None, description="For a statement about several States: how many")
    article: int | None = None
    type: str | None = Field(None, examples=["clearance"])
    event: str | None = Field(None, examples=["extension-requested"])
    date: str | None = None
    text: str | None = None
    sources: list[Source] = Field(default=[], description=LISTED_SOURCES_DOC)


class Conflict(BaseModel):
    id: str
    about: str | None = None
    values: list[str] = []
    claims: list[Source] = Field(description="The passages that disagree, each with its source")


class ReviewItem(BaseModel):
    id: str
    text: str
    reason: str = Field(description="unresolved-name, person-name, page-marker or table-fragment")
    context: str | None = Field(None, description="The kind of fact it was read for")
    sources: list[Source]


# Reference layer: States Parties and signatories (GET /states), deadlines (GET /deadlines).
StateStatus = Literal["state-party", "signatory"]
DeadlineStatus = Literal["met", "extended", "overdue", "pending"]
ExtensionType = Literal["extension-requested", "extension-granted"]
STATE_STATUSES: tuple[str, ...] = get_args(StateStatus)
DEADLINE_STATUSES: tuple[str, ...] = get_args(DeadlineStatus)


class CitedSource(BaseModel):
    """A reference page (`url`, `retrieved`) or a document passage (`document`, `quote`)."""

    id: str | None = Field(default=None, description="IRI of the source node")
    url: str | None = Field(
        default=None, description="Reference data: the web page the fact was read from"
    )
    retrieved: str | None = Field(default=None, description="Reference data: the day it was read")
    document: str | None = Field(default=None, description="IRI of the document of the passage")
    quote: str | None = Field(default=None, description="The passage's text")
    text_url: str | None = Field(
        default=None,
        description="The document's full text with the passage highlighted; null for pages",
    )

    @model_validator(mode="after")
    def _link_text(self) -> CitedSource:
        if self.text_url is None and self.document:
            span = _PASSAGE_IRI.search(self.id or "")
            start, end = (int(span.group(1)), int(span.group(2))) if span else (None, None)
            self.text_url = text_url(self.document, start, end)
        return self


_PASSAGE_IRI = re.compile(r"/passage/(\d+)-(\d+)$")


class TreatyActionClaim(BaseModel):
    """What one source says: the kind of action and its day."""

    type: str | None = Field(default=None, examples=["signature", "ratification", "accession"])
    date: str | None = None
    source: CitedSource


class TreatyAction(BaseModel):
    """A signature or an instrument: the earliest day and the kind most sources give, and
    every source's claim; `conflict` when the sources disagree on either."""

    date: str | None = None
    type: str | None = Field(default=None, examples=["ratification"])
    conflict: bool = False
    claims: list[TreatyActionClaim]


class DerivationRule(BaseModel):
    """A declared rule (queries/rules/*.rq) that derived a value."""

    id: str | None = Field(default=None, description="IRI of the rule")
    label: str | None = None
    file: str | None = Field(default=None, examples=["queries/rules/article4_clearance.rq"])
    text: str | None = Field(default=None, description="The treaty's wording of the rule")


class EntryIntoForce(BaseModel):
    """The day the Convention entered into force for a State, derived by Article 17."""

    id: str
    date: str | None = None
    derived: bool = True
    rule: DerivationRule


class State(BaseModel):
    """A State that signed the Convention or deposited an instrument."""

    id: str = Field(description="IRI of the State")
    iso3: str | None = None
    label: str | None = None
    status: StateStatus = Field(description="state-party (an instrument deposited) or signatory")
    signature: TreatyAction | None = None
    instrument: TreatyAction | None = Field(
        default=None, description="Ratification, acceptance, approval or accession"
    )
    entry_into_force: EntryIntoForce | None = Field(
        default=None, description="None for a signatory"
    )


class MeetingOfDeadline(BaseModel):
    id: str
    label: str | None = None
    date: str | None = Field(default=None, description="The meeting's first day")


class DeadlineEvent(BaseModel):
    """An extension requested or granted, with the deadlines it names and its sources."""

    id: str
    type: ExtensionType | None = None
    date: str | None = Field(default=None, description="YYYY-MM-DD, or YYYY-MM / YYYY as written")
    meeting: MeetingOfDeadline | None = Field(default=None, description="Where it was decided")
    previous_deadline: list[str] = []
    requested_deadline: list[str] = []
    new_deadline: list[str] = []
    sources: list[CitedSource] = []


class Completion(BaseModel):
    """A completion declared (Articles 3, 4) or a report submitted (Article 7)."""

    id: str
    date: str | None = Field(default=None, description="YYYY-MM-DD, or YYYY-MM / YYYY as written")
    meeting: MeetingOfDeadline | None = None
    sources: list[CitedSource] = []


class EntryIntoForceRef(BaseModel):
    id: str | None = None
    date: str | None = None


class DerivedFrom(BaseModel):
    entry_into_force: EntryIntoForceRef


class Deadline(BaseModel):
    """A deadline derived by a declared rule, and its status as of a day (`as_of`)."""

    id: str = Field(description="IRI of the derived deadline")
    state: StateRef
    article: int | None = Field(default=None, examples=[4])
    type: str = Field(
        examples=["stockpile-destruction", "clearance", "initial-report", "annual-report"]
    )
    obligation: str | None = Field(default=None, description="IRI of the State's obligation")
    report_year: int | None = Field(default=None, description="The year an annual report covers")
    due: str | None = Field(default=None, description="The derived day due")
    derived: bool = True
    rule: DerivationRule
    derived_from: DerivedFrom
    current_due: str | None = Field(
        default=None,
        description="The deadline in force as of `as_of`: the latest extension granted",
    )
    status: DeadlineStatus = Field(
        description="met, extended (not yet due, extension granted), overdue or pending"
    )
    as_of: str = Field(description="The day the status is for")
    completed_late: bool = Field(default=False, description="Met after the deadline in force")
    extensions: list[DeadlineEvent] = []
    completion: Completion | None = None


class MeetingOfPresidency(BaseModel):
    id: str
    label: str | None = Field(default=None, examples=["11MSP"])
    dates: list[str] = Field(default=[], description="The first day, as each source gives it")


class PresidencyHeld(BaseModel):
    """A meeting the State presided (reference data and documents)."""

    kind: Literal["president"] = "president"
    meeting: MeetingOfPresidency
    persons: list[str] = Field(default=[], description="The persons acting as President")
    sources: list[str] = Field(default=[], description="URLs of reference pages, IRIs of documents")


class StateFact(BaseModel):
    """A post the State held, or a meeting it attended, from the documents."""

    # No other fields: in `StateDetail.posts` a presidency (which has `meeting`) is then not
    # also a StateFact, and the OpenAPI `oneOf` of the two holds.
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(examples=["coordinator", "president", "attended"])
    ref: str | None = Field(default=None, description="IRI of the post or meeting")
    label: str | None = None
    date: str | None = None
    sources: list[str] = Field(default=[], description="IRIs of the documents")


def _post_kind(value: Any) -> str:
    """A presidency names its meeting; a post held from the documents does not."""
    if isinstance(value, dict):
        return "presidency" if "meeting" in value else "post"
    return "presidency" if isinstance(value, PresidencyHeld) else "post"


StatePost = Annotated[
    Annotated[PresidencyHeld, Tag("presidency")] | Annotated[StateFact, Tag("post")],
    Discriminator(_post_kind),
]


class SameAs(BaseModel):
    """The same thing elsewhere (owl:sameAs), and the page that says so."""

    id: str = Field(description="IRI of the item, e.g. http://www.wikidata.org/entity/Q224")
    sources: list[CitedSource] = []


class StateDetail(State):
    """One State: its dates, deadlines (status as of `as_of`), posts and meetings attended."""

    deadlines: list[Deadline] = []
    posts: list[StatePost] = Field(
        default=[], description="Presidencies (with `meeting`), then posts held"
    )
    meetings_attended: list[StateFact] = []
    truncated: bool = Field(default=False, description="True when the row cap cut an answer read")
    same_as: list[SameAs] = Field(
        default=[], description="The State elsewhere (its Wikidata item), each with its source"
    )


def list_of(model: type[BaseModel]) -> type[BaseModel]:
    """`{"items": [...], "count": n}` for one item model (the shape of every list answer)."""
    from pydantic import create_model

    return create_model(
        f"{model.__name__}List",
        items=(list[model], ...),  # type: ignore[valid-type]
        count=(int, Field(description="Items matching the filters, before limit/offset")),
        limit=(int, ...),
        offset=(int, ...),
        truncated=(bool, Field(False, description="True when the row cap cut the answer")),
    )


CoordinatorList = list_of(Coordinator)
PresidencyList = list_of(Presidency)
MeetingList = list_of(Meeting)
ActorList = list_of(Actor)
PersonList = list_of(Person)
ObligationList = list_of(Obligation)
ConflictList = list_of(Conflict)


class WorkingGroupRef(BaseModel):
    """A working group: its thematic area, or its topic when it is not an area."""

    id: str
    label: str | None = None
    area: AreaRef | None = None
    topic: str | None = None
    informal: bool = False


class WorkingGroupReport(BaseModel):
    """One sentence about a working group: the event, who leads or takes part, when."""

    id: str = Field(description="IRI of the working-group report")
    working_group: WorkingGroupRef
    event: Literal["established", "proposed", "reported"] | None = None
    name: str | None = Field(None, description="The name as the sentence writes it")
    date: str | None = Field(
        None, description="The date the text gives the event (YYYY-MM-DD, YYYY-MM or YYYY); "
        "null when it does not say (the document's date is `attested`, not this)"
    )  # fmt: skip
    attested: str | None = Field(None, description="The date of the document that says so")
    leads: list[ActorRef] = []
    members: list[ActorRef] = []
    representatives: list[ActorRef] = []
    sources: list[Source] = Field(default=[], description=LISTED_SOURCES_DOC)


WorkingGroupList = list_of(WorkingGroupReport)

ReviewItemList = list_of(ReviewItem)


StateList = list_of(State)
DeadlineList = list_of(Deadline)
