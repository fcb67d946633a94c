"""Split an attendance line whose separators were lost into delegations, persons and labels.

PDF conversion flattens attendee tables: "State Ms. A Person", "State Mr. B Other State Ms. C",
a whole PRESENT block and its apologies on one line. A careful reader splits such a line on
what it recognises: delegation names the gazetteer knows, titles that open a person's name
(Mr., Ms., Dr., H.E., Ambassador…) followed by the capitalised words of the name, and list
labels ("Apologies received"). Nothing that is not recognised becomes an actor: left-over text
is returned as `rest` for the caller to send to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ccmkg.loaders.gazetteer import Gazetteer
from ccmkg.loaders.readers.actors import ORG_WORDS
from ccmkg.model.names import honorifics

# List labels met inside a flattened block (capitalised: "present" in prose is not a label).
LABELS = re.compile(
    r"(?:(?<!\S)\d{1,2}\.\s*)?\b(?P<label>Apologies\s+not\s+received|APOLOGIES\s+NOT\s+RECEIVED|"
    r"Apologies\s+received|APOLOGIES\s+RECEIVED|Apologies|APOLOGIES|Present|PRESENT|"
    r"List\s+of\s+attendees|Attendees|Excused|EXCUSED)\b(?:\s*:)?",
)
_PARTICLES = {"van", "der", "den", "de", "da", "del", "dos", "du", "von", "al", "el", "la", "le"}
_NAME_WORD = re.compile(r"^(?:[A-Z]\.(?:-?[A-Z]\.)*|[A-ZÀ-Þ][\w'’.-]*)$")


@dataclass(frozen=True)
class Chunk:
    """A recognised piece of a line: kind is "actor", "person", "label" or "rest"."""

    kind: str
    start: int
    end: int
    text: str
    key: str | None = None  # actor key, or the label's block name


@cache
def _title_rx() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(h) for h in honorifics())
    return re.compile(rf"(?<![\w.])(?:(?:{alternatives})\.?\s+)+(?=[A-ZÀ-Þ])")


def label_block(label: str) -> str:
    """The block a label opens, in segment.py's names."""
    t = " ".join(label.lower().split())
    if "not" in t:
        return "apologies-not-received"
    if t.startswith(("apolog", "excused")):
        return "apologies-received"
    return "present"


def _name_end(text: str, start: int, stop: int) -> int:
    """End of the name that starts at `start`: capitalised words, initials and particles."""
    end = start
    for m in re.finditer(r"\S+", text[start:stop]):
        word = m.group(0).rstrip(",;")
        if not (_NAME_WORD.match(word) or word in _PARTICLES):
            break
        end = start + m.start() + len(word)
    return end


def split_line(text: str, gz: Gazetteer) -> list[Chunk]:
    """Chunks of a roster line in text order (see the module docstring)."""
    marks: list[Chunk] = []
    for m in LABELS.finditer(text):
        marks.append(Chunk("label", m.start(), m.end(), m.group(0), label_block(m.group("label"))))
    for a in gz.find_actors(text):
        if not any(c.start <= a.start < c.end for c in marks):
            marks.append(Chunk("actor", a.start, a.end, a.written, a.key))
    titles = [m for m in _title_rx().finditer(text)]
    for t in titles:
        if not any(c.start <= t.start() < c.end for c in marks):
            marks.append(Chunk("person", t.start(), t.end(), t.group(0)))
    marks.sort(key=lambda c: c.start)
    out: list[Chunk] = []
    pos = 0
    for i, mark in enumerate(marks):
        nxt = marks[i + 1].start if i + 1 < len(marks) else len(text)
        if mark.start > pos:
            _rest(text, pos, mark.start, out)
        if mark.kind == "person":
            # The title, then the name's words; a name may run over what looked like an actor
            # only when that actor is a single capitalised word inside the name (not handled:
            # the gazetteer wins, and the left-over goes to review).
            end = _name_end(text, mark.end, nxt)
            if end == mark.end:
                _rest(text, mark.start, nxt, out)
                pos = nxt
                continue
            out.append(Chunk("person", mark.start, end, text[mark.start : end]))
            pos = end
            if nxt > end:
                _rest(text, end, nxt, out)
                pos = nxt
        else:
            out.append(mark)
            pos = mark.end
    if pos < len(text):
        _rest(text, pos, len(text), out)
    return out


def _rest(text: str, start: int, end: int, out: list[Chunk]) -> None:
    """Unrecognised text between marks: connectors and organisation words are dropped."""
    piece = text[start:end]
    stripped = piece.strip(" \t\n-–—:;,.")
    if not stripped or ORG_WORDS.fullmatch(stripped):
        return
    lead = len(piece) - len(piece.lstrip(" \t\n-–—:;,."))
    s = start + lead
    out.append(Chunk("rest", s, s + len(stripped), stripped))


def is_roster_line(text: str, gz: Gazetteer) -> bool:
    """A line that names a delegation and then persons, or several persons: a flattened row."""
    chunks = split_line(text, gz)
    persons = sum(c.kind == "person" for c in chunks)
    actors = sum(c.kind == "actor" for c in chunks)
    labels = sum(c.kind == "label" for c in chunks)
    starts_with_person = bool(chunks) and chunks[0].kind == "person"
    if any(c.kind == "rest" and len(c.text.split()) > 4 for c in chunks):
        return False  # running text that names a State and a person is not a roster row
    return (actors >= 1 and (persons >= 1 or labels >= 1)) or (
        persons >= 2 and not starts_with_person
    )
