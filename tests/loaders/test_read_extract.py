"""loaders/extract.py: every passage is verifiable, odd text never crashes, bytes must be text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_read import passages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmkg.errors import InputError
from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.registry import default_registry
from ccmkg.resources import corpus_files

VARIANTS = sorted((Path(__file__).parents[1] / "data" / "variants").glob("*.txt"))
DOCS = corpus_files() + VARIANTS
CORPUS_TEXT = [p.read_text(encoding="utf-8") for p in corpus_files()]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_passage_is_the_original_slice(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ex = extract_document(path, path.read_bytes())
    found = list(passages(ex))
    assert len(found) >= 2
    for p in found:
        assert 0 <= p.start <= p.end <= len(text)
        assert text[p.start : p.end] == p.quote
        assert p.quote == p.quote.strip()


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_no_extractor_errors_on_the_corpus_and_variants(path: Path) -> None:
    ex = extract_document(path, path.read_bytes())
    assert [i.message for i in ex.issues if "extractor error" in i.message] == []


def test_binary_bytes_are_refused_with_the_file_name() -> None:
    with pytest.raises(InputError, match=r"scan\.pdf"):
        extract_document(Path("scan.pdf"), b"%PDF-1.4\x00\x01\x02")
    with pytest.raises(InputError, match=r"latin\.txt"):
        extract_document(Path("latin.txt"), "Réunion".encode("latin-1"))


def test_empty_and_blank_documents_are_read_as_unknown() -> None:
    for raw in (b"", b"\n\n   \n"):
        ex = extract_document(Path("empty.txt"), raw)
        assert ex.document.family == "unknown"


def test_utf16_with_bom_is_text() -> None:
    raw = "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING\n1. PRESENT:\nAustria\n".encode(
        "utf-16"
    )
    ex = extract_document(Path("u16.txt"), raw)
    assert [a.actor.key for a in ex.attendance] == ["AUT"]


def test_documents_name_the_family_that_read_them() -> None:
    for path in DOCS:
        ex = extract_document(path, path.read_bytes())
        family = default_registry().get(ex.document.family)
        assert ex.document.family_iri == str(family.iri)


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """Corpus text with random cuts, duplications, insertions and markup."""
    text = draw(st.sampled_from(CORPUS_TEXT))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 400)))
        op = draw(st.sampled_from(["cut", "dup", "insert", "markup"]))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "dup":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=40)) + text[i:]
        else:
            tag = draw(st.sampled_from(["<u>", "</sup>", "^{", "**", "#### ", "\n- ", "(", "|"]))
            text = text[:i] + tag + text[i:]
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_corpus())
def test_fuzz_mutated_corpus_never_crashes(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    if "\x00" in text:  # the one documented refusal: NUL bytes mean binary data, said so
        with pytest.raises(InputError, match="binary data"):
            extract_document(Path("fuzz.txt"), raw)
        return
    ex = extract_document(Path("fuzz.txt"), raw)
    assert [i.message for i in ex.issues if "extractor error" in i.message] == []
    for p in passages(ex):
        assert text[p.start : p.end] == p.quote


LOADER_DIR = Path(__file__).parents[2] / "loaders"
READING_MODULES = sorted(
    [*LOADER_DIR.rglob("*.py"), *LOADER_DIR.rglob("*.csv"), *LOADER_DIR.glob("rules/*.yaml")]
)
FORBIDDEN = re.compile(
    r"Kwast|Mweemba|Cleobury|Masm[eé]j|Sinjela|Assaker|Liddle|Yong\b|26 May|24 January|"
    r"1 February|28 March|28 April|2 November|Permanent Mission of the Netherlands|"
    r"Maison de la Paix|Conference Room 6|9b7beb69|233ef626|bf5ea00c|7f64184f|0e4a5c60"
)


@pytest.mark.parametrize("path", READING_MODULES, ids=lambda p: p.name)
def test_loader_code_holds_no_corpus_names_or_dates(path: Path) -> None:
    assert FORBIDDEN.findall(path.read_text(encoding="utf-8")) == []
