"""The literal text a compiled rule pattern cannot match without: a cheap test run first.

Why: the readers run every sentence rule on every sentence, and Python's `re` tries a pattern
that starts with a lookbehind or a case-insensitive alternation at every position of the text
(most of extraction's time). Most sentences lack a word the pattern needs ("coordinator",
"report"...); a substring test says so for a fraction of the cost. The literals are read off
the pattern itself (its parse tree), never typed in, so a rule edited in YAML keeps a correct
prefilter. The test is conservative: False only when no match is possible, so results are the
same with or without it.

A requirement is a list of clauses, each a set of literals of which at least one must occur
(compared case-folded as `re.IGNORECASE` folds, whatever the pattern's flags: weaker for a
case-sensitive literal, never wrong).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

# CPython's own pattern parser, opcodes and case tables (private, present in 3.11-3.13). A
# Python without them gets no prefilter (every rule tried everywhere): slower, same results.
try:
    import _sre
    from re import _casefix, _parser  # type: ignore[attr-defined]
    from re import _constants as C  # type: ignore[attr-defined]

    _EXTRA: dict[int, Sequence[int]] = dict(_casefix._EXTRA_CASES)
    AVAILABLE = True
except (ImportError, AttributeError):  # pragma: no cover - depends on the interpreter
    _EXTRA = {}
    AVAILABLE = False

Clause = frozenset[str]


# --- case folding as the regex engine does it ---------------------------------------------------


def _fold_char(c: str) -> str:
    """One character as `re.IGNORECASE` compares it: the engine's simple lowercase, then one
    representative of the few classes `re` widens (s/ſ, i/ı, µ/μ…)."""
    low = chr(_sre.unicode_tolower(ord(c)))
    return min((low, *map(chr, _EXTRA.get(ord(low), ()))))


class _FoldTable(dict[int, str]):
    """`str.translate` table filled on demand: one entry per distinct character met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


@lru_cache(maxsize=512)  # the readers test the same sentence against many rules
def fold(text: str) -> str:
    """`text` case-folded character for character as `re.IGNORECASE` matches: a literal the
    engine would find in `text` is a substring of `fold(text)` once folded too."""
    if text.isascii():  # ASCII folds to ASCII, one to one: the fast path
        return text.lower()
    return text.translate(_TABLE)


# --- literals out of the parse tree ------------------------------------------------------------


def _char(op: Any, av: Any) -> str | None:
    """The one character an item matches, if it is a literal (or a one-literal set)."""
    if op is C.LITERAL:
        return chr(av)
    if op is C.IN and len(av) == 1 and av[0][0] is C.LITERAL:
        return chr(av[0][1])
    return None


def _best(clauses: list[Clause]) -> Clause | None:
    """The most selective clause: the longest shortest literal, then the fewest literals."""
    if not clauses:
        return None
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


def _needs(items: Iterable[tuple[Any, Any]]) -> list[Clause]:
    """Clauses every match of the item sequence satisfies (in the text it matches)."""
    clauses: list[Clause] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            clauses.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        c = _char(op, av)
        if c is not None:
            run.append(_fold_char(c))
            continue
        if op is C.AT:  # zero-width (\b, ^): the characters around it are still adjacent
            continue
        flush()
        if op is C.SUBPATTERN:
            clauses += _needs(av[-1])
        elif op is C.ATOMIC_GROUP:
            clauses += _needs(av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, body = av
            if low >= 1:
                clauses += _needs(body)
        elif op is C.BRANCH:
            options = [_best(_needs(alt)) for alt in av[1]]
            if all(o is not None for o in options):
                clauses.append(frozenset().union(*(o for o in options if o is not None)))
        # anything else (sets, categories, lookarounds, backreferences) needs no literal
    flush()
    return [c for c in clauses if "" not in c]


def needs(pattern: re.Pattern[str], keep: int = 3) -> tuple[Clause, ...]:
    """The `keep` most selective clauses every match of a compiled pattern satisfies; ()
    when none is known. (A few long words decide; "of" and "the" only cost time.)"""
    if not AVAILABLE:
        return ()
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern re compiled always parses; be safe: no prefilter
        return ()
    return _selective(dict.fromkeys(_needs(tree)), keep)


def _selective(clauses: Iterable[Clause], keep: int) -> tuple[Clause, ...]:
    return tuple(sorted(clauses, key=lambda c: (-min(map(len, c)), len(c)))[:keep])


def either(requirements: Iterable[Sequence[Clause]]) -> tuple[Clause, ...]:
    """What a text needs for at least one of several patterns to match: one clause, the
    union of each pattern's most selective clause; () when one of them needs nothing."""
    union: set[str] = set()
    for clauses in requirements:
        best = _best(list(clauses))
        if best is None:
            return ()
        union |= best
    return (frozenset(union),) if union else ()


def outside_markup(clauses: Iterable[Clause]) -> tuple[Clause, ...]:
    """The clauses that hold in the text before it was tokenised, for a pattern run on a token
    view (a name replaced by `⟨K12⟩`: a bracket, one kind character, digits, a bracket).

    A literal found in the token view outside every token is in the text; one with a bracket,
    or that fits inside a token ("K12", "12", "K"), may come from a token: dropped."""

    def usable(lit: str) -> bool:
        return "⟨" not in lit and "⟩" not in lit and not lit[1:].isdigit() and len(lit) > 1

    return tuple(c for c in clauses if all(usable(lit) for lit in c))


class Prefiltered:
    """A compiled pattern whose `search` first tests the literals every match needs."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.needs = needs(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        """`pattern.search(text)`, skipped when the text lacks what every match needs."""
        return self.pattern.search(text) if may_match(self.needs, text) else None


def may_match(clauses: Sequence[Clause], text: str) -> bool:
    """False only when no match of a pattern needing `clauses` can be in `text`."""
    if not clauses:
        return True
    folded = fold(text)
    for clause in clauses:  # plain loops: this runs for every rule on every sentence
        for lit in clause:
            if lit in folded:
                break
        else:
            return False
    return True
