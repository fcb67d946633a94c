"""Response models of the REST API: the field names are the public contract (see /docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


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
    sources: list[Source]


class Presidency(BaseModel):
    id: str
    meeting: MeetingRef | None = None
    state: StateRef
    role: Literal["president", "president-designate", "past-president"]
    start: str | None = None
    end: str | None = None
    term_basis: TermBasis | None = Field(None, description=TERM_BASIS_DOC)
    attested: list[str] = []
    sources: list[Source]


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
    sources: list[Source] = []


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
    needs_review: bool = False


class PersonDetail(Person):
    meetings: list[PersonMeeting] = []


class Obligation(BaseModel):
    id: str
    state: StateRef
    article: int | None = None
    type: str | None = Field(None, examples=["clearance"])
    event: str | None = Field(None, examples=["extension-requested"])
    date: str | None = None
    text: str | None = None
    sources: list[Source]


class Conflict(BaseModel):
    id: str
    about: str | None = None
    values: list[str] = []
    claims: list[Source] = Field(description="The passages that disagree, each with its source")


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
