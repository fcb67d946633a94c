"""Cut clean text into paragraphs, headings, bullets and the blocks extractors look for.

Works on `CleanText.clean` and keeps clean offsets, so any span found here becomes a Passage
through `CleanText.passage`. Wrapped lines (a line that starts with blanks right after a
non-blank line) are joined to their paragraph; paragraph text keeps its length (newlines are
turned into spaces) so offsets inside a paragraph stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBERED = re.compile(
    r"^(?:(?:agenda\s+)?item\s+)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})(?:\.|\))?"
    r"(?:\s*[-–—:]\s*|\s+)(?P<title>\S.*)$",
    re.IGNORECASE,
)
_ROMAN_H = re.compile(
    rf"^(?P<num>(?=[IVX]){_ROMAN}(?:\.\d{{1,2}})?)(?:[.)]\s+|(?<=\d)\s+)(?P<title>\S.*)$"
)
_LETTER_H = re.compile(r"^\((?P<num>[a-z])\)\s+(?P<title>\S.*)$")
_BULLET = re.compile(r"^-\s+")
_DATE_LIKE = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$|[-–,])", re.I
)
_SENTENCE_END = re.compile(r"[.;]\s*$")
# A line that ends on a title or a word that cannot end a sentence or a list item was wrapped:
# "… opened by the President, Ambassador" / "Jane Doe of the Mission". Single line breaks.
_WRAPPED_END = re.compile(
    r"(?:\b(?:Ambassador|Excellency|of|the|by|to|for|with|from|and|a|an)|"
    r"(?<![\w.])(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.))[ \t]*$"
)


@dataclass
class Heading:
    number: str | None
    title: str
    level: int  # 1 top (2., II.), 2 sub (5.1), 3 lettered ((a)), 0 unnumbered


@dataclass
class Paragraph:
    """A run of clean text: a heading, a bullet item or a body paragraph."""

    start: int
    end: int
    text: str  # clean[start:end] with newlines as spaces: same length, same offsets
    kind: str  # "heading" | "bullet" | "text"
    heading: Heading | None = None
    section: str | None = None  # number (or title) of the enclosing section
    section_title: str | None = None
    parents: list[Heading] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The text without a leading bullet marker."""
        return _BULLET.sub("", self.text.strip())


def _raw_paragraphs(clean: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of non-blank line runs; indented lines continue the previous one."""
    pos = 0
    cur: tuple[int, int] | None = None
    for line in clean.splitlines(keepends=True):
        ls = pos
        pos += len(line)
        content = line.strip()
        if not content:
            if cur:
                yield cur
                cur = None
            continue
        s = ls + (len(line) - len(line.lstrip()))
        e = ls + len(line.rstrip())
        continues = line[:1] in (" ", "\t") or content[:1].islower()
        wrapped = cur is not None and _WRAPPED_END.search(clean[cur[0] : cur[1]]) is not None
        if cur and (continues or wrapped) and not _BULLET.match(content):
            cur = (cur[0], e)
            continue
        if cur:
            yield cur
        cur = (s, e)
    if cur:
        yield cur


def heading_of(text: str, *, short: int = 110) -> Heading | None:
    """Recognise a heading line (numbered, roman, lettered); None for body text."""
    t = text.strip()
    if not t or len(t) > short or _BULLET.match(t):
        return None
    for rx, level in ((_NUMBERED, 0), (_ROMAN_H, 1), (_LETTER_H, 3)):
        m = rx.match(t)
        if not m or not m.group("num"):
            continue
        title = m.group("title").strip()
        if level == 0 and _DATE_LIKE.match(title):
            continue  # "30 AUG - 2 SEPT" is a date, not item 30
        if _SENTENCE_END.search(title) and len(title) > 60:
            return None
        num = m.group("num")
        if num.startswith("0"):
            continue  # "0 downloads": no section is numbered 0
        if level in (0, 1):
            level = 1 if "." not in num else num.count(".") + 1
        return Heading(num, title, level)
    return None


def segment(clean: str) -> list[Paragraph]:
    """Split into paragraphs with heading structure and enclosing section labels."""
    paras: list[Paragraph] = []
    stack: list[Heading] = []
    for s, e in _raw_paragraphs(clean):
        text = clean[s:e].replace("\n", " ").replace("\r", " ")
        h = heading_of(text)
        if h:
            stack = [x for x in stack if 0 < x.level < h.level]
            stack.append(h)
            kind = "heading"
        elif _BULLET.match(text.strip()):
            kind = "bullet"
        else:
            kind = "text"
        cur = stack[-1] if stack else None
        paras.append(
            Paragraph(
                s,
                e,
                text,
                kind,
                h,
                cur.number if cur else None,
                cur.title if cur else None,
                list(stack),
            )
        )
    return paras


@dataclass
class Block:
    """A labelled run of paragraphs, e.g. the attendee list or an apology list."""

    label: str
    head: Paragraph
    items: list[Paragraph]


_BLOCK_LABELS: dict[str, re.Pattern[str]] = {
    "present": re.compile(
        r"^(?:(?:\d{1,2}|[IVX]{1,4})[.)]?\s*)?(?:present|attendees|list of attendees|participants|"
        r"attendance|in attendance|members present)\s*:?\s*$",
        re.IGNORECASE,
    ),
    "apologies-not-received": re.compile(
        r"^(?:\d{1,2}[.)]?\s*)?apologies\s+not\s+received\s*:?\s*$|^no apologies received\s*:?\s*$",
        re.IGNORECASE,
    ),
    "apologies-received": re.compile(
        r"^(?:\d{1,2}[.)]?\s*)?(?:apologies(?:\s+received)?|excused)\s*:?\s*$", re.IGNORECASE
    ),
    "action-points": re.compile(r"^action\s+points?\s*:?\s*$", re.IGNORECASE),
    "draft-agenda": re.compile(r"^(?:draft|provisional)?\s*agenda\s*:?\s*$", re.IGNORECASE),
}


_INLINE_LABEL = re.compile(r"^(?:apologies|action\s+points?)\b[^:]{0,20}:\s*\S", re.IGNORECASE)


def block_label(text: str) -> str | None:
    """The block a line opens, if any (a registry of patterns, first match wins)."""
    t = text.strip()
    for label, rx in _BLOCK_LABELS.items():
        if rx.match(t):
            return label
    return None


def blocks(paras: list[Paragraph]) -> list[Block]:
    """Blocks open at a label line and close at the next label or numbered heading."""
    out: list[Block] = []
    cur: Block | None = None
    for p in paras:
        label = block_label(p.text)
        if label:
            cur = Block(label, p, [])
            out.append(cur)
            continue
        if cur is None:
            continue
        # A numbered line inside an agenda list is an item, not the end of the block.
        numbered = p.kind == "heading" and p.heading and p.heading.level in (1, 2)
        if numbered and cur.label != "draft-agenda":
            cur = None
            continue
        bullets = cur.label == "action-points" or (cur.items and cur.items[0].kind == "bullet")
        table = bool(cur.items) and cur.items[0].text.lstrip().startswith("|")
        too_long = cur.label != "action-points" and len(p.text) > 160
        inline_label = _INLINE_LABEL.match(p.text.strip()) is not None
        if (
            (bullets and p.kind != "bullet")
            or (table and not p.text.lstrip().startswith("|"))
            or too_long
            or inline_label
        ):
            cur = None
            continue
        cur.items.append(p)
    return out
