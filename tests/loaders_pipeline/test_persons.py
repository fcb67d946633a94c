"""Persons across documents: initials resolve to the known person, near spellings are
reported for review and kept apart."""

from __future__ import annotations

from ccmkg.loaders.gazetteer import PersonIndex, person
from ccmkg.loaders.persons import resolve_persons
from ccmkg.loaders.records import (
    ActorRef,
    AttendanceRecord,
    DocumentRecord,
    Extraction,
    ParticipantRecord,
    Passage,
)


def _extraction(*names: str) -> Extraction:
    passage = Passage(0, 1, "x")
    doc = DocumentRecord("0" * 64, "a.txt", "unknown", None, None, False, passage)
    actor = ActorRef("state", "NOR", "Norway", "Norway")
    participants = [ParticipantRecord(person(n), passage) for n in names]
    return Extraction(doc, attendance=[AttendanceRecord(actor, passage, participants)])


def _keys(ex: Extraction) -> list[str]:
    return [p.person.key for p in ex.attendance[0].participants]


def test_initials_take_the_known_key_and_say_so() -> None:
    index = PersonIndex()
    index.add("ingrid-k-solberg")
    ex = _extraction("Ms. I. K. Solberg")
    notes = resolve_persons(ex, index)
    assert _keys(ex) == ["ingrid-k-solberg"]
    assert len(notes) == 1 and "initials" in notes[0]


def test_a_near_spelling_is_reported_and_kept_apart() -> None:
    index = PersonIndex()
    index.add("jean-baptiste-ondoua")
    ex = _extraction("Mr. Jean-Baptiste Ondoa")
    notes = resolve_persons(ex, index)
    assert _keys(ex) == ["jean-baptiste-ondoa"]
    assert len(notes) == 1 and "jean-baptiste-ondoua" in notes[0] and "review" in notes[0]


def test_the_same_key_and_new_names_pass_without_notes() -> None:
    index = PersonIndex()
    index.add("ana-lucia-perez")
    ex = _extraction("H.E. Ana Lucía Pérez", "Dr. Tomasz Wiśniewski")
    assert resolve_persons(ex, index) == []
    assert _keys(ex) == ["ana-lucia-perez", "tomasz-wisniewski"]
    assert "tomasz-wisniewski" in index.keys
