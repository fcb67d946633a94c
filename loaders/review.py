"""The precision guardrail: a string the gazetteer cannot resolve never becomes an actor.

Readers may still meet such strings where a delegation, a holder or a State was expected (a
person's name in a flattened table, a page marker, a table fragment, an organisation no table
knows). `quarantine()` runs after every family: each fact whose actor is unresolved leaves the
Extraction and becomes a `ReviewItemRecord` with the string, why it was not resolved and its
passage, so a data steward can add an alias row or ignore it. Nothing is guessed; nothing is
dropped silently.
"""

from __future__ import annotations

import re

from ccmkg.loaders.records import ActorRef, Extraction, Passage, ReviewItemRecord
from ccmkg.model.names import split_honorific

# Review reasons (slugs; stored as ccm:reviewReason and listed by GET /review).
UNRESOLVED_NAME = "unresolved-name"
PERSON_NAME = "person-name"
PAGE_MARKER = "page-marker"
TABLE_FRAGMENT = "table-fragment"
REASONS = (UNRESOLVED_NAME, PERSON_NAME, PAGE_MARKER, TABLE_FRAGMENT)

# "1|", "1 | P a g e", "Page 2", "- 3 -": what a page footer or header leaves behind.
_PAGE_MARKER = re.compile(
    r"^\s*(?:[-–]\s*)?(?:p\s*a\s*g\s*e\s*)?\d{1,3}\s*(?:[-–|]\s*)?(?:p\s*a\s*g\s*e)?\s*$",
    re.IGNORECASE,
)
# Initials and capitalised name words: "A. B. Person", "Anna-Maria van der Berg".
_NAME_WORD = re.compile(r"^(?:[A-Z]\.|[A-Z][\w'’.-]+|van|der|de|da|del|von|al|el|la|le)$")


def looks_like_person_name(text: str) -> bool:
    """A title before a name, or 2–5 capitalised words with an initial ("Anna B. Person")."""
    hon, bare = split_honorific(text)
    if hon and bare[:1].isupper():
        return True
    words = bare.split()
    initials = any(re.fullmatch(r"[A-Z]\.", w) for w in words)
    return 2 <= len(words) <= 5 and initials and all(_NAME_WORD.match(w) for w in words)


def reason_for(text: str) -> str:
    """Why a string is not an actor: a page marker, a person, a fragment, or an unknown name."""
    t = text.strip()
    if _PAGE_MARKER.match(t):
        return PAGE_MARKER
    if looks_like_person_name(t):
        return PERSON_NAME
    letters = sum(ch.isalpha() for ch in t)
    if letters < 3 or t.count("|") or re.fullmatch(r"[\d\W]+", t):
        return TABLE_FRAGMENT
    return UNRESOLVED_NAME


def add_review(ex: Extraction, text: str, passage: Passage, context: str | None) -> None:
    """One review item per (string, passage, context); the reason is classified here."""
    item = ReviewItemRecord(text.strip(), reason_for(text), passage, context)
    if item not in ex.review:
        ex.review.append(item)


def _keep(ex: Extraction, ref: ActorRef, passage: Passage, context: str) -> bool:
    if ref.resolved:
        return True
    add_review(ex, ref.name_as_written, passage, context)
    return False


def quarantine(ex: Extraction) -> None:
    """Move every fact that rests on an unresolved actor into the review list (in place)."""
    kept = []
    for a in ex.attendance:
        if _keep(ex, a.actor, a.passage, "attendance"):
            kept.append(a)
        else:
            for p in a.participants:  # the persons stay known, as review items of their own
                add_review(ex, p.person.name_as_written, p.passage, "attendance")
    ex.attendance = kept
    ex.apologies = [a for a in ex.apologies if _keep(ex, a.actor, a.passage, "apology")]
    ex.holdings = [
        h
        for h in ex.holdings
        if (h.holder is None and h.person is not None)
        or (h.holder is not None and _keep(ex, h.holder, h.passage, "holding"))
    ]
    ex.obligation_events = [
        e for e in ex.obligation_events if _keep(ex, e.state, e.passage, "obligation-event")
    ]
    for point in ex.action_points:
        point.responsible = [
            r for r in point.responsible if _keep(ex, r, point.passage, "action-point")
        ]
    m = ex.meeting
    if m is not None and m.chair is not None and not _keep(ex, m.chair, m.passage, "chair"):
        m.chair = None
