"""A hand-made document and the records a careful reader takes from it (no corpus text)."""

from __future__ import annotations

import datetime as dt
import hashlib

from ccmkg.loaders.records import (
    ActionPointRecord,
    ActorRef,
    AgendaItemRecord,
    AggregateStatementRecord,
    ApologyRecord,
    AttendanceRecord,
    ConflictRecord,
    DocumentRecord,
    Extraction,
    Issue,
    MeetingRecord,
    MeetingRef,
    MinutesApprovalRecord,
    NextMeetingRecord,
    ObligationEventRecord,
    ParticipantRecord,
    Passage,
    PersonRef,
    PostHoldingRecord,
)

TEXT = """MINUTES OF THE SAMPLE COMMITTEE MEETING
Held on Tuesday, 3 March 2099, from 09:30 - 11:00 hours, hybrid
1. PRESENT:
Ruritania – 40MSP President
H.E. Ms. Ana Pérez
Mr. Jo Bloggs - Intern
Freedonia (Universalization in 2098 and 2099)
Atlantis Relief Fund
2. APOLOGIES RECEIVED: Elbonia
3. The minutes of the meeting held on 4 February 2099 were approved.
4. The minutes of the meeting held on 5 February 2099 were approved.
5.1 Universalization (Freedonia)
Freedonia will submit an extension request under Article 4.
Nine States Parties have overdue initial reports.
ACTION POINTS: Freedonia to circulate the draft by 1 April 2099.
The next meeting will be held on 7 April 2099 at the Mission.
"""


def span(quote: str, section: str | None = None, text: str = TEXT) -> Passage:
    """The passage of the first occurrence of `quote` in `text`."""
    start = text.index(quote)
    return Passage(start=start, end=start + len(quote), quote=quote, section=section)


RUR = ActorRef("state", "RRR", "Ruritania", "Ruritania")
FRE = ActorRef("state", "FRD", "Freedonia", "Freedonia")
ELB = ActorRef("state", "ELB", "Elbonia", "Elbonia")
FUND = ActorRef(
    "organization",
    "atlantis-relief-fund",
    "Atlantis Relief Fund",
    "Atlantis Relief Fund",
    resolved=False,
)


def sample_extraction(text: str = TEXT, file_name: str = "sample.txt") -> Extraction:
    """Every kind of record, each with a passage that really is in `text`."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def s(q: str, section: str | None = None) -> Passage:
        return span(q, section, text)

    attendance_line = s("Ruritania – 40MSP President", "1")
    return Extraction(
        document=DocumentRecord(
            sha256=sha,
            file_name=file_name,
            family="coordination-committee-minutes",
            title="Minutes of the Sample Committee Meeting",
            date=dt.date(2099, 3, 3),
            date_inferred=False,
            passage=s("MINUTES OF THE SAMPLE COMMITTEE MEETING"),
        ),
        meeting=MeetingRecord(
            kind="coordination-committee",
            date=dt.date(2099, 3, 3),
            passage=s("Held on Tuesday, 3 March 2099, from 09:30 - 11:00 hours, hybrid"),
            start_time=dt.time(9, 30),
            end_time=dt.time(11, 0),
            format="hybrid",
            chair=RUR,
        ),
        attendance=[
            AttendanceRecord(
                RUR,
                attendance_line,
                [
                    ParticipantRecord(
                        PersonRef("Ana Pérez", "Ana Pérez", "ana-perez", "H.E. Ms."),
                        s("H.E. Ms. Ana Pérez", "1"),
                    ),
                    ParticipantRecord(
                        PersonRef("Jo Bloggs", "Jo Bloggs", "jo-bloggs", "Mr."),
                        s("Mr. Jo Bloggs - Intern", "1"),
                        role="Intern",
                    ),
                ],
            ),
            AttendanceRecord(FRE, s("Freedonia (Universalization in 2098 and 2099)", "1")),
            AttendanceRecord(FUND, s("Atlantis Relief Fund", "1")),
        ],
        apologies=[ApologyRecord(ELB, True, s("Elbonia", "2"))],
        holdings=[
            PostHoldingRecord(
                RUR,
                "president",
                attendance_line,
                meeting=MeetingRef("meeting-of-states-parties", 40, "40MSP"),
            ),
            PostHoldingRecord(
                FRE,
                "coordinator",
                s("Freedonia (Universalization in 2098 and 2099)", "1"),
                area="universalization",
                mandate_years=(2098, 2099),
            ),
            PostHoldingRecord(
                FRE,
                "coordinator",
                s("5.1 Universalization (Freedonia)", "5.1"),
                area="universalization",
            ),
        ],
        obligation_events=[
            ObligationEventRecord(
                FRE,
                4,
                "extension-request-announced",
                s("Freedonia will submit an extension request under Article 4.", "5.1"),
                text="Freedonia will submit an extension request under Article 4.",
            )
        ],
        aggregate_statements=[
            AggregateStatementRecord(
                7,
                9,
                "Nine States Parties have overdue initial reports.",
                s("Nine States Parties have overdue initial reports.", "5.1"),
            )
        ],
        agenda=[AgendaItemRecord("5.1", "Universalization", s("5.1 Universalization", "5.1"))],
        action_points=[
            ActionPointRecord(
                "Freedonia to circulate the draft by 1 April 2099.",
                s("Freedonia to circulate the draft by 1 April 2099."),
                responsible=[FRE],
                responsible_text="Freedonia",
                due=dt.date(2099, 4, 1),
                due_text="1 April 2099",
            )
        ],
        minutes_approvals=[
            MinutesApprovalRecord(dt.date(2099, 2, 4), s("held on 4 February 2099", "3")),
            MinutesApprovalRecord(dt.date(2099, 2, 5), s("held on 5 February 2099", "4")),
        ],
        next_meeting=NextMeetingRecord(
            s("The next meeting will be held on 7 April 2099 at the Mission."),
            date=dt.date(2099, 4, 7),
            date_text="7 April 2099",
            venue="the Mission",
        ),
        conflicts=[
            ConflictRecord(
                "date of the earlier minutes approved",
                [s("held on 4 February 2099", "3"), s("held on 5 February 2099", "4")],
                ["2099-02-04", "2099-02-05"],
            )
        ],
        issues=[Issue("unresolved", "Atlantis Relief Fund", s("Atlantis Relief Fund", "1"))],
    )
