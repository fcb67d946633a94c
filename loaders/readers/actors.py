"""Actors and persons in list lines: 'Iraq – President-Designate', 'Ms. A. Person - Intern'."""

from __future__ import annotations

import re

from ccmkg.loaders.gazetteer import Gazetteer, gazetteer
from ccmkg.loaders.records import ActorRef

_ROLE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*\(|\s*,\s*|\s+in\s+(?:the\s+)?capacity\s+of\s+|\s*:\s*")
ORG_WORDS = re.compile(
    r"\b(?:coalition|unit|union|association|organi[sz]ation|centre|center|trust|watch|aid|"
    r"international|committee|institute|foundation|network|campaign|collective|society|office|"
    r"programme|program|fund|agency|mission|secretariat|group|council|league|initiative|"
    r"review|monitor|service|bank|forum)\b",
    re.IGNORECASE,
)
_PERSON_ROLE = re.compile(r"\s+[-–—]\s+|\s*\(|\s*,\s+")


def split_actor(text: str, gz: Gazetteer) -> tuple[ActorRef | None, str, str]:
    """(actor, name as written, role text) for a list line such as 'Iraq – President-Designate'."""
    t = text.strip().strip(",;").strip()
    hit = gz.actor(t)
    if hit:
        return hit, t, ""
    for m in _ROLE_SPLIT.finditer(t):
        left = t[: m.start()].strip()
        hit = gz.actor(left)
        if hit:
            role = t[m.start() :].strip(" -–—:,")
            return hit, left, tidy_role(role)
    name = _ROLE_SPLIT.split(t, maxsplit=1)[0].strip()
    return None, name, tidy_role(t[len(name) :].strip(" -–—:,"))


def tidy_role(role: str) -> str:
    """A role without its brackets and list punctuation."""
    role = role.strip().strip(",;").strip()
    if role.startswith("(") and role.endswith(")") and role.count("(") == 1:
        role = role[1:-1]
    elif role.startswith("(") and role.count("(") > role.count(")"):
        role = role[1:]
    return role.strip(" ,;")


def looks_like_bare_person(text: str) -> bool:
    """A name without honorific under a delegation: 2–5 capitalised words, no organisation."""
    words = text.split()
    return (
        ":" not in text
        and 2 <= len(words) <= 5
        and all(
            w[:1].isupper() or w.lower() in {"de", "van", "der", "da", "del", "von", "al"}
            for w in words
        )
        and not ORG_WORDS.search(text)
        and not text.isupper()
    )


def split_person(text: str) -> tuple[str, str | None]:
    """(name, role) from a person line such as 'Ms. A. Person - Intern'."""
    t = text.strip().strip(",;")
    m = _PERSON_ROLE.search(t)
    if not m:
        return t, None
    role = tidy_role(t[m.start() :].strip(" -–—,"))
    return t[: m.start()].strip(), role or None


def list_names(text: str) -> list[str]:
    """'A, B and C' -> names; a known name with 'and' in it stays whole."""
    gz = gazetteer()
    out: list[str] = []
    for part in re.split(r"\s*[,;]\s*", text.strip().rstrip(".")):
        part = re.sub(r"^and\s+", "", part.strip())
        if not part:
            continue
        if gz.actor(part) or " and " not in part:
            out.append(part)
            continue
        out.extend(x for x in re.split(r"\s+and\s+", part) if x)
    return out
