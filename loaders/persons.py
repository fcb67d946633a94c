"""Persons across documents: one node per person, whatever the spelling.

The extractor keys each name on its own (case, accents, punctuation and honorifics removed).
Here the keys meet the persons already in the store and in this load: a name whose key differs
only by initials ("J. K. Doe" ~ "Jane K. Doe") takes the known key, and a name
spelled close to a known one (a typo, a dropped letter) is reported for review, never merged.
"""

from __future__ import annotations

from dataclasses import replace

from ccmkg.loaders.gazetteer import PersonIndex
from ccmkg.loaders.records import Extraction, PersonRef
from ccmkg.model.terms import CCM
from ccmkg.store import Store

KNOWN_KEYS = f"SELECT DISTINCT ?key WHERE {{ ?person <{CCM.nameKey}> ?key }}"


def person_index(store: Store) -> PersonIndex:
    """The person keys the store already holds."""
    index = PersonIndex()
    for row in store.select(KNOWN_KEYS).rows:
        index.add(str(row["key"]))
    return index


def resolve_persons(extraction: Extraction, index: PersonIndex) -> list[str]:
    """Re-key the extraction's persons against `index` (in place); returns review notes."""
    notes: list[str] = []
    cache: dict[str, PersonRef] = {}

    def resolved(ref: PersonRef) -> PersonRef:
        if ref.key in cache:
            return cache[ref.key]
        fresh = ref.key not in index.keys
        near = [k for k in index.near(ref.name) if k != ref.key] if fresh else []
        key, reason = index.resolve(ref.name)
        if reason == "initials":
            notes.append(f"person {ref.name_as_written!r} is {key!r} (same name up to initials)")
        elif near:
            notes.append(
                f"person {ref.name_as_written!r} ({key}) is spelled close to {', '.join(near)}: "
                "kept apart; review whether they are one person"
            )
        cache[ref.key] = replace(ref, key=key)
        return cache[ref.key]

    for attendance in extraction.attendance:
        for participant in attendance.participants:
            participant.person = resolved(participant.person)
    if extraction.meeting is not None and extraction.meeting.chair_person is not None:
        extraction.meeting.chair_person = resolved(extraction.meeting.chair_person)
    return notes
