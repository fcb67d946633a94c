"""Precision and recall per fact kind against the hand-written gold (corpus and variants).

The gold was read off each document by a person; the scorer prints the table (also:
`python -m devtools.score -v`, which lists every miss).
"""

from __future__ import annotations

import pytest

from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.registry import default_registry
from ccmkg.resources import corpus_files
from devtools.score import GOLD_DIR, KINDS, VARIANT_DIR, cases, gold_keys, load_gold, score, table

THRESHOLD = 0.95
CORPUS = [c for c in cases() if c[1].parent != VARIANT_DIR]
VARIANTS = [c for c in cases() if c[1].parent == VARIANT_DIR]


def test_every_corpus_file_and_at_least_ten_variants_have_gold() -> None:
    assert len(CORPUS) == len(corpus_files())
    assert len(VARIANTS) >= 10
    assert all(g.exists() for _, _, g in CORPUS + VARIANTS)


@pytest.mark.parametrize(("name", "selected"), [("corpus", CORPUS), ("variants", VARIANTS)])
def test_precision_and_recall_per_kind(name: str, selected: list, capsys) -> None:  # type: ignore[type-arg,no-untyped-def]
    tallies = score(selected)
    with capsys.disabled():
        print(f"\n{name}\n{table(tallies)}")
    low = {
        k: (round(t.precision, 3), round(t.recall, 3), t.misses[:5])
        for k, t in tallies.items()
        if t.precision < THRESHOLD or t.recall < THRESHOLD
    }
    assert low == {}


def test_scorer_counts_a_wrong_fact() -> None:
    """A gold file with one fact changed must lose recall and precision for that kind."""
    gold = load_gold(GOLD_DIR / "000_9b7beb69bcb879ab.txt.yaml")
    keys = gold_keys(gold)
    gold["apologies"] = [row.replace("HRV", "SRB") for row in gold["apologies"]]
    changed = gold_keys(gold)
    assert keys["apologies"] != changed["apologies"]
    assert set(KINDS) == set(keys)


def test_every_family_has_a_gold_document_and_a_variant() -> None:
    """Adding a genre means adding its module, its gold file and its variants."""

    def families(selected: list) -> set[str]:  # type: ignore[type-arg]
        return {extract_document(d, d.read_bytes()).document.family for _, d, _ in selected}

    shipped = {f.name for f in default_registry() if not f.fallback}
    # Genres the corpus sample lacks (composition lists, meeting reports, status lists) have
    # synthetic documents we wrote, with their gold, as their gold cases.
    assert shipped <= families(CORPUS) | families(VARIANTS)
    assert shipped <= families(VARIANTS)
