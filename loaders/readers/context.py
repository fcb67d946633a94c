"""What every reader needs: the text, its paragraphs and blocks, the gazetteer, the years.

Also the two views of the text that several readers share: sentences (with clean offsets) and
the thematic area a paragraph's section is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ccmkg.loaders import metadata as md
from ccmkg.loaders.gazetteer import Gazetteer, gazetteer
from ccmkg.loaders.readers.prefilter import Prefiltered
from ccmkg.loaders.records import ActorRef, Extraction, Issue, Passage
from ccmkg.loaders.segment import Block, Paragraph, blocks, segment
from ccmkg.loaders.text import CleanText


@dataclass
class Ctx:
    """The document being read and the Extraction the readers append to."""

    ct: CleanText
    ex: Extraction
    paras: list[Paragraph] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    gz: Gazetteer = field(default_factory=gazetteer)
    years: Counter[int] = field(default_factory=Counter)

    @classmethod
    def build(cls, ct: CleanText, ex: Extraction) -> Ctx:
        paras = segment(ct.clean)
        return cls(ct, ex, paras, blocks(paras), gazetteer(), md.context_years(ct.clean))

    def passage(self, start: int, end: int, section: str | None = None) -> Passage:
        return self.ct.passage(start, end, section)

    def para_passage(self, p: Paragraph) -> Passage:
        return self.ct.passage(p.start, p.end, p.section)

    def warn(self, message: str, passage: Passage | None = None) -> None:
        self.ex.issues.append(Issue("warning", message, passage))

    def unresolved(self, name: str, passage: Passage, kind: str = "organization") -> ActorRef:
        ref = self.gz.unresolved(name, kind)
        # For kind "unresolved" the message is the name as written (the emitter's contract).
        self.ex.issues.append(Issue("unresolved", ref.name_as_written, passage))
        return ref

    def state_ref(self, key: str, written: str) -> ActorRef:
        """A resolved State as written here, labelled as the gazetteer labels it."""
        return ActorRef("state", key, written, self.gz.state_labels.get(key, written))


# --- sentences -----------------------------------------------------------------------------

_ABBREV = re.compile(
    r"\b(?:Mr|Ms|Mrs|Dr|H\.E|e\.g|i\.e|etc|No|Coord|Stock|Destruct|Gen|Op|"
    r"Trans|Coop|Assist|Pres|Des|Exec|St|Amb|[A-Z])\.$"
)
_ABBREV_TAIL = 16  # longer than the longest abbreviation above with its dot


# A sentence ends at [.;!?] before a space and a capital (or the end), or glued to the next
# sentence as web text extraction leaves it ("…in 2011.Since the…", "…Blakemore.The…").
_SENTENCE_END = re.compile(r"[.;!?](?=\s+[A-Z(\"'“]|\s*$)|(?<=[a-z\d)])[.!?](?=[\"“”]?[A-Z][a-z])")


def sentences(p: Paragraph) -> list[tuple[int, int, str]]:
    """Sentences of a paragraph as (clean start, clean end, text); abbreviations kept whole."""
    return [(p.start + s, p.end if e is None else p.start + e, t) for s, e, t in _split(p.text)]


@lru_cache(maxsize=8192)  # every reader splits the same paragraphs: split each text once
def _split(text: str) -> tuple[tuple[int, int | None, str], ...]:
    """(start, end, chunk) relative to the text; end None: to the paragraph's end."""
    out: list[tuple[int, int | None, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        chunk = text[start : m.end()]
        # an abbreviation ends the chunk ($): search its last characters only, \b still
        # sees the one before them (pos does not cut the string)
        if _ABBREV.search(chunk, max(0, len(chunk) - _ABBREV_TAIL)):
            continue
        out.append((start, m.end(), chunk))
        start = m.end()
    if text[start:].strip():
        out.append((start, None, text[start:]))
    return tuple(out)


# --- sections ------------------------------------------------------------------------------

# Posts and obligations under these treaties are not the Convention's.
OTHER_TREATY = Prefiltered(re.compile(r"\b(?:APMBC|CCW|Mine\s+Ban|MBT|Ottawa|ATT)\b"))


def section_area(ctx: Ctx, p: Paragraph) -> str | None:
    """The thematic area named by the enclosing (sub)section heading, if exactly one."""
    for h in reversed(p.parents):
        areas = {a.key for a in ctx.gz.find_areas(h.title)}
        if len(areas) == 1 and not OTHER_TREATY.search(h.title):
            return areas.pop()
    return None
