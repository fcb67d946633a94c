"""loaders/readers/prefilter.py: a rule is skipped only where its pattern cannot match.

The literals are read off each pattern's parse tree; these tests check the two ways that could
go wrong: a literal that is not really needed (a match in a text the test says cannot hold
one), and case folding that differs from `re.IGNORECASE` (a match on a spelling the folded
test misses).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmkg.loaders.extract import decode
from ccmkg.loaders.readers import holdings, prefilter, working_groups
from ccmkg.loaders.readers.context import Ctx, sentences
from ccmkg.loaders.readers.prefilter import either, fold, may_match, needs, outside_markup
from ccmkg.loaders.readers.rules import Rule, rules, subjects, untokenised_gate
from ccmkg.loaders.records import DocumentRecord, Extraction, Passage
from ccmkg.loaders.text import clean
from ccmkg.resources import corpus_files
from devtools.score import VARIANT_DIR

RULES = [r for s in subjects() for r in rules(s)]


def _texts(paths: list[Path]) -> list[str]:
    """Every sentence and paragraph of the files."""
    out: list[str] = []
    for path in paths:
        for p in Ctx.build(clean(decode(path.read_bytes())), _blank()).paras:
            out += [s for _, _, s in sentences(p)]
            out.append(p.text)
    return list(dict.fromkeys(out))


def _blank() -> Extraction:
    doc = DocumentRecord("0" * 64, "t.txt", "unknown", None, None, False, Passage(0, 0, ""))
    return Extraction(doc)


CORPUS = _texts(list(corpus_files())) + [e.text for r in RULES for e in r.examples]


def _check_no_match_hidden(texts: list[str]) -> int:
    """Every match of every rule in `texts` (and their token views) passes the prefilter, and
    the gate before the token view (`untokenised_gate`) lets its text through."""
    ctx = Ctx.build(clean("x\n"), _blank())
    matched = 0
    for text in texts:
        views = {"tokens": [holdings.tokenise(ctx, text)[0], working_groups.tokenise(ctx, text)[0]]}
        for rule in RULES:
            for view in views.get(rule.view, [text]):
                if rule.pattern.search(view):
                    matched += 1
                    assert rule.may_match(view), (rule.name, view)
                    assert rule.may_match_untokenised(text), (rule.name, text)
                    assert may_match(untokenised_gate([rule]), text), (rule.name, text)
    return matched


def test_no_rule_match_on_the_corpus_is_hidden() -> None:
    assert _check_no_match_hidden(CORPUS) > 300  # the corpus exercises the rules


@pytest.mark.slow
def test_no_rule_match_on_the_variants_is_hidden() -> None:
    assert _check_no_match_hidden(_texts(sorted(VARIANT_DIR.glob("*.txt")))) > 100


def test_the_prefilter_skips_most_sentences() -> None:
    """Not vacuous: the count rule and the working-group gate turn most sentences away."""
    count = next(r for r in rules("obligations") if r.name == "count-of-states-or-reports")
    assert count.needs
    assert sum(count.may_match(s) for s in CORPUS) < 0.6 * len(CORPUS)
    gate = untokenised_gate([r for r in rules("working_groups")])
    assert sum(may_match(gate, s) for s in CORPUS) < 0.4 * len(CORPUS)


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?<!x)\bStates?\s+Parties\b", re.I, "ſtates parties"),  # long s folds to s
        (r"kilo", re.I, "\u212aILO"),  # the Kelvin sign folds to k
        (r"kilo", re.I, "K\u0130LO"),  # dotted capital I folds to i (one character)
        (r"pr(?:esident|esidency)", re.I, "PRESIDENCY"),
        (r"(?i:abc)d", 0, "ABCd"),
        (r"x(?:ab){2,}y", 0, "xababy"),
        (r"ab(?:cd)?ef", 0, "abef"),  # an optional group needs nothing
        (r"(?:foo|)bar", 0, "bar"),  # an empty alternative needs nothing
        (r"a(?=bc)", 0, "abc"),
        (r"µ", re.I, "\u03bc"),  # micro sign ~ Greek mu
        (r"[s]ta", re.I, "ſta"),
        (r"\^\{x\}", 0, "^{x}"),
    ],
)
def test_folding_matches_the_regex_engine(pattern: str, flags: int, text: str) -> None:
    rx = re.compile(pattern, flags)
    assert rx.search(text)
    assert may_match(needs(rx), text)


def test_fold_is_one_to_one_and_as_re_folds_ascii_letters() -> None:
    """Every character `re.IGNORECASE` matches to a letter folds to that letter's fold."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    folded = fold(every)
    assert len(folded) == len(every)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for m in re.finditer(letter, every, re.I):
            assert folded[m.start()] == letter, (letter, hex(ord(m.group())))


def test_token_markup_literals_are_not_used_before_tokenising() -> None:
    clauses = (
        frozenset({"⟨s"}),
        frozenset({"s1"}),
        frozenset({"coordinator"}),
        frozenset({"a", "of"}),
    )
    assert outside_markup(clauses) == (frozenset({"coordinator"}),)
    assert either([(frozenset({"abc"}),), (frozenset({"de"}), frozenset({"fgh"}))]) == (
        frozenset({"abc", "fgh"}),
    )
    assert either([(frozenset({"abc"}),), ()]) == ()


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.subject}:{r.name}")
def test_generated_matches_pass_the_prefilter(rule: Rule) -> None:
    """Texts holding a match, generated from the pattern itself, pass the prefilter."""

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(rule.pattern))
    def check(text: str) -> None:
        if rule.pattern.search(text):
            assert rule.may_match(text), text

    check()


def test_prefiltered_module_patterns_find_what_their_patterns_find() -> None:
    from ccmkg.loaders.readers.context import OTHER_TREATY
    from ccmkg.loaders.readers.obligations import _OBLIGATION_CONTEXT

    for wrapped in (OTHER_TREATY, _OBLIGATION_CONTEXT):
        assert wrapped.needs
        found = [t for t in CORPUS if wrapped.pattern.search(t)]
        assert found
        assert all(wrapped.search(t) for t in found)


def test_without_the_interpreters_parser_no_pattern_is_filtered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Python lacking re's private parser gets no prefilter: every rule is tried."""
    pattern = re.compile(r"coordinators? of the (\w+) working group", re.IGNORECASE)
    assert prefilter.needs(pattern)  # here: the words the pattern needs
    monkeypatch.setattr(prefilter, "AVAILABLE", False)
    assert prefilter.needs(pattern) == ()
    assert prefilter.may_match(prefilter.needs(pattern), "no such words")
