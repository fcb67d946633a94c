"""loaders/text.py: noise is removed, and every clean span maps back to the exact original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccmkg.loaders.text import clean
from ccmkg.resources import corpus_files


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("#### United Kingdom – 10MSP President", "United Kingdom – 10MSP President"),
        ("<u>Zamb</u>ia", "Zambia"),
        ("10<sup>TH</sup> MEETING", "10TH MEETING"),
        ("4^{th} Floor", "4th Floor"),
        ("## **2. Opening Remarks**", "2. Opening Remarks"),
        ("the *Core Commitments* page", "the Core Commitments page"),
        ("UD\\$10'000", "UD$10'000"),
        ("• Thanked members", "- Thanked members"),
        ("a\n12\nb", "a\n\nb"),
        ("a\nPage 3 of 7\nb", "a\n\nb"),
        ("a\n+++++\nb", "a\n\nb"),
    ],
)
def test_noise_removed(original: str, expected: str) -> None:
    assert clean(original).clean == expected


def test_numbered_heading_is_not_a_page_number() -> None:
    assert clean("1. PRESENT:").clean == "1. PRESENT:"


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_offsets_point_into_the_original(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    ct = clean(text)
    assert len(ct.offsets) == len(ct.clean) + 1
    assert list(ct.offsets[:-1]) == sorted(ct.offsets[:-1])
    for i, ch in enumerate(ct.clean):
        # Every clean character is its source character, except synthetic bullets/spaces.
        assert text[ct.offsets[i]] == ch or ch in "- "


def test_passage_quote_is_the_original_slice_with_markup() -> None:
    text = "intro\n5.2 <u>Clearance and Risk Reduction</u> (Norway)\n"
    ct = clean(text)
    start = ct.clean.index("5.2")
    end = ct.clean.index("(Norway)") + len("(Norway)")
    p = ct.passage(start, end)
    assert p.quote == text[p.start : p.end]
    assert p.quote == "5.2 <u>Clearance and Risk Reduction</u> (Norway)"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_cleans_with_a_consistent_map(text: str) -> None:
    ct = clean(text)
    assert len(ct.offsets) == len(ct.clean) + 1
    for a in range(0, len(ct.clean), 7):
        p = ct.passage(a, min(len(ct.clean), a + 11))
        assert p.quote == text[p.start : p.end]


# --- the noise scan tries the pattern only where a match can start ---------------------------

_NOISY = st.text(
    alphabet=st.sampled_from(list("\n \t<>/^{}\\$&*_#-–|+=~ab1234pagePAGE.")), max_size=80
)


def _spans(found: object) -> list[tuple[int, int, str | None, str | None]]:
    return [(m.start(), m.end(), m.lastgroup, m.group(m.lastgroup or 0)) for m in found]  # type: ignore[attr-defined]


@given(_NOISY)
@settings(max_examples=400, deadline=None)
def test_noise_scan_finds_what_finditer_finds(text: str) -> None:
    from ccmkg.loaders.text import _NOISE, _noise

    assert _spans(_noise(text)) == _spans(_NOISE.finditer(text))


def test_noise_scan_on_the_corpus() -> None:
    from ccmkg.loaders.text import _NOISE, _noise

    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        found = _spans(_noise(text))
        assert found == _spans(_NOISE.finditer(text)), path.name
