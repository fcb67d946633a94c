"""The status of a derived deadline as of a day, from its extensions and completions (pure).

Status (as of a day):
- `met`: a completion (or, for Article 7, a report submitted) is recorded on or before that day
  (a completion the sources do not date counts too; `completed_late` says if it came after the
  deadline in force);
- `overdue`: the deadline in force has passed and no completion is recorded;
- `extended`: not yet due, and an extension was granted (the deadline in force is its new one);
- `pending`: not yet due.
The deadline in force is the derived one, or the latest new deadline an extension granted by
that day sets. An annual report is met only by a submission in the year it is due.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ccmkg.api.rest.models import (
    CitedSource,
    Completion,
    DeadlineEvent,
    DeadlineStatus,
    ExtensionType,
    MeetingOfDeadline,
)

EXTENSION_TYPES: dict[str, ExtensionType] = {
    "extension-requested": "extension-requested",
    "extension-granted": "extension-granted",
}
COMPLETION_TYPES = ("completion-declared", "report-submitted")


def last_day(value: str | None) -> str | None:
    """A day, or the last day of a month (YYYY-MM) or year (YYYY): the latest it can mean."""
    if not value:
        return None
    if len(value) >= 10:
        return value[:10]
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(y, m)[1]:02d}"
    return f"{value[:4]}-12-31"


@dataclass
class Event:
    """What the record says happened to an obligation, with every value its sources give."""

    id: str
    type: str | None
    dates: list[str] = field(default_factory=list)
    meeting: MeetingOfDeadline | None = None
    previous_deadline: list[str] = field(default_factory=list)
    requested_deadline: list[str] = field(default_factory=list)
    new_deadline: list[str] = field(default_factory=list)
    sources: list[CitedSource] = field(default_factory=list)

    @property
    def date(self) -> str | None:
        """The first of its dates as written (YYYY-MM-DD, YYYY-MM or YYYY)."""
        return self.dates[0] if self.dates else None

    def day(self) -> str | None:
        """The day it happened by: the earliest of its dates (each read as the latest day it
        can mean), else its meeting's first day."""
        known = [d for d in (last_day(d) for d in self.dates) if d]
        if known:
            return min(known)
        return self.meeting.date if self.meeting else None

    def as_extension(self) -> DeadlineEvent:
        return DeadlineEvent(
            id=self.id,
            type=EXTENSION_TYPES.get(self.type or ""),
            date=self.date,
            meeting=self.meeting,
            previous_deadline=self.previous_deadline,
            requested_deadline=self.requested_deadline,
            new_deadline=self.new_deadline,
            sources=self.sources,
        )

    def as_completion(self) -> Completion:
        return Completion(id=self.id, date=self.date, meeting=self.meeting, sources=self.sources)


@dataclass(frozen=True)
class Status:
    """A deadline's state as of a day."""

    current_due: str | None
    status: DeadlineStatus
    completed_late: bool
    extensions: list[DeadlineEvent]
    completion: Completion | None


def status_of(kind: str, due: str | None, events: Sequence[Event], as_of: dt.date) -> Status:
    """The status as of `as_of` of a deadline of type `kind` due on `due`, given the events of
    its obligation."""
    today = as_of.isoformat()
    current = due
    extensions = [e for e in events if e.type in EXTENSION_TYPES]
    granted = False
    for ev in extensions:
        if ev.type != "extension-granted":
            continue
        when = ev.day()
        if when is not None and when > today:
            continue
        granted = True
        for new in ev.new_deadline:
            end = last_day(new)
            if end and (current is None or end > current):
                current = end
    done = [e for e in events if e.type in COMPLETION_TYPES]
    if kind == "annual-report":  # a submission counts for the year it falls in
        done = [
            e for e in done if (d := e.day()) is not None and due is not None and due[:4] == d[:4]
        ]
    completion = next((e for e in done if (w := e.day()) is None or w <= today), None)
    status: DeadlineStatus
    late = False
    if completion is not None:
        status = "met"
        when = last_day(completion.date)
        late = bool(when and current and when > current)
    elif current is not None and today > current:
        status = "overdue"
    elif granted:
        status = "extended"
    else:
        status = "pending"
    return Status(
        current_due=current,
        status=status,
        completed_late=late,
        extensions=[e.as_extension() for e in extensions],
        completion=completion.as_completion() if completion else None,
    )
