"""Strip PDF-conversion noise from a document while keeping a map back to the original text.

The extractors read the *clean* text (no markdown headings or emphasis, no HTML tags, no
LaTeX-like superscripts, no page-number lines such as `12`, `- 4 -`, `1|` or `1|P a g e`) but
every Passage they emit is a span of the *original* text: `Passage.quote ==
original[start:end]`, so a quote can always be verified against the file as stored. The quote
therefore may contain markup (``<u>Norway</u>``); that is deliberate: it is the exact source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from ccmkg.loaders.records import Passage

# Each noise pattern either deletes its match or keeps the text of its group "keep" (mapped
# to the original offsets of that group). Ordered: the first alternative that matches wins.
_NOISE = re.compile(
    r"""
      (?P<pagenum>^[ \t]*(?:page[ \t]+|[-–][ \t]*)?\d{1,3}(?:[ \t]*(?:/|of)[ \t]*\d{1,3})?
                  (?:[ \t]*[-–])?[ \t]*(?=\n|\Z))
    | (?P<pagebar>^[ \t]*(?:p[ \t]?a[ \t]?g[ \t]?e[ \t]*)?\d{1,3}[ \t]*\|
                  [ \t]*(?:p[ \t]?a[ \t]?g[ \t]?e)?[ \t]*(?=\n|\Z))
    | (?P<rule>^[ \t]*[+=_*~-]{4,}[ \t]*(?=\n|\Z))
    | (?P<heading>^[ \t]{0,3}\#{1,6}[ \t]+)
    | (?P<tag></?[A-Za-z][A-Za-z0-9]*(?:[ \t][^<>\n]{0,80})?/?>)
    | \^\{(?P<keep>[^{}\n]{0,12})\}
    | \\(?P<keep2>[$&%_#'])
    | (?P<emph>\*{1,3}(?![ \t])|(?<=\S)\*{1,3}|(?<!\w)_{2}|_{2}(?!\w))
    """,
    re.VERBOSE | re.MULTILINE | re.IGNORECASE,
)
# Where a noise match can start: a line's start (the alternatives anchored with ^) or the
# first character of every other alternative. `re` tries _NOISE at every position of the
# text; this set, a plain character class, it scans for in C (tests/loaders/test_read_text.py
# checks that both give the same matches).
_NOISE_START = re.compile(r"[\n<^\\*_]")


def _noise(text: str) -> Iterator[re.Match[str]]:
    """`_NOISE.finditer(text)`, trying the pattern only where a match can start."""
    pos = 0
    starts = chain(
        (0,), (m.end() if m.group() == "\n" else m.start() for m in _NOISE_START.finditer(text))
    )
    for start in starts:
        if start < pos:
            continue
        m = _NOISE.match(text, start)  # ^ and lookbehinds still see the text before `start`
        if m:
            yield m
            pos = m.end()


# Bullet glyphs at the start of a line become "- " so segmentation sees one bullet syntax.
_BULLET = re.compile(r"^([ \t]*)([•▪◦●·‣∙]|\*(?=[ \t]))[ \t]*", re.MULTILINE)
_SPACES = {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": ""}
_ODD_SPACE = re.compile("[" + "".join(_SPACES) + "]")


@dataclass(frozen=True)
class CleanText:
    """The cleaned text and, for each of its characters, the offset of its source character.

    `offsets[i]` is the original offset of `clean[i]`; `offsets[len(clean)]` is the original
    length, so half-open spans map cleanly.
    """

    original: str
    clean: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open clean span to the smallest original span covering it."""
        start = max(0, min(start, len(self.clean)))
        end = max(start, min(end, len(self.clean)))
        if end == start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def passage(self, start: int, end: int, section: str | None = None) -> Passage:
        """A Passage whose quote is the ORIGINAL text of the clean span [start, end)."""
        # Trim whitespace in the clean view first, so quotes do not start or end blank.
        while start < end and self.clean[start].isspace():
            start += 1
        while end > start and self.clean[end - 1].isspace():
            end -= 1
        o_start, o_end = self.span(start, end)
        return Passage(o_start, o_end, self.original[o_start:o_end], section)


def clean(original: str) -> CleanText:
    """Remove conversion noise; return the clean text with its offset map.

    Never raises on odd input: unknown markup is simply kept as text.
    """
    out: list[str] = []
    offs: list[int] = []
    pos = 0
    text = original
    for m in _noise(text):
        if m.start() < pos:
            continue
        _copy(text, pos, m.start(), out, offs)
        for group in ("keep", "keep2"):
            if m.group(group) is not None:
                _copy(text, m.start(group), m.end(group), out, offs)
        pos = m.end()
    _copy(text, pos, len(text), out, offs)
    stage1 = "".join(out)
    # Second pass on the cleaned text: bullets and odd spaces, composed with the first map.
    out2: list[str] = []
    offs2: list[int] = []
    pos = 0
    for m in _BULLET.finditer(stage1):
        _copy_spaces(stage1, offs, pos, m.start(), out2, offs2)
        for ch in m.group(1) + "- ":
            out2.append(ch)
            offs2.append(offs[m.start()] if m.start() < len(offs) else len(original))
        pos = m.end()
    _copy_spaces(stage1, offs, pos, len(stage1), out2, offs2)
    offs2.append(len(original))
    return CleanText(original, "".join(out2), tuple(offs2))


def _copy_spaces(
    text: str, offs: list[int], start: int, end: int, out: list[str], offs2: list[int]
) -> None:
    """Copy text[start:end] with its offsets, odd spaces replaced; runs without one in a go."""
    pos = start
    for m in _ODD_SPACE.finditer(text, start, end):
        out.append(text[pos : m.start()])
        offs2.extend(offs[pos : m.start()])
        _emit_char(m.group(0), offs[m.start()], out, offs2)
        pos = m.end()
    out.append(text[pos:end])
    offs2.extend(offs[pos:end])


def _copy(text: str, start: int, end: int, out: list[str], offs: list[int]) -> None:
    out.append(text[start:end])
    offs.extend(range(start, end))


def _emit_char(ch: str, off: int, out: list[str], offs: list[int]) -> None:
    repl = _SPACES.get(ch, ch)
    for c in repl:
        out.append(c)
        offs.append(off)
