"""Issue #12 guardrails: strings the gazetteer cannot resolve go to review, never into facts;
flattened rosters are split on what a reader recognises. All examples are synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.gazetteer import gazetteer
from ccmkg.loaders.readers.roster import split_line
from ccmkg.loaders.review import reason_for
from ccmkg.loaders.text import clean

VARIANTS = Path(__file__).parents[1] / "data" / "variants"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1|", "page-marker"),
        ("1|P a g e", "page-marker"),
        ("Page 3", "page-marker"),
        ("Ms. Jane Roe", "person-name"),
        ("H.E. Mr. A. B. Person", "person-name"),
        ("Anna B. Person", "person-name"),
        ("| 4 |", "table-fragment"),
        ("4.1", "table-fragment"),
        ("Regional Demining Forum", "unresolved-name"),
    ],
)
def test_review_reasons(text: str, reason: str) -> None:
    assert reason_for(text) == reason


@pytest.mark.parametrize("marker", ["3|", "3 |", "3|P a g e", "Page 3 |", "12 | Page"])
def test_page_markers_are_noise(marker: str) -> None:
    assert clean(f"Chile\n{marker}\nPeru\n").clean.split() == ["Chile", "Peru"]


def test_a_flattened_row_splits_on_delegations_titles_and_labels() -> None:
    text = "Chile Ms. Ana Roe Mr. Bo Lee (via video) Peru Dr. C. Day Apologies received Ghana Fiji"
    chunks = [(c.kind, c.text) for c in split_line(text, gazetteer())]
    assert chunks == [
        ("actor", "Chile"),
        ("person", "Ms. Ana Roe"),
        ("person", "Mr. Bo Lee"),
        ("rest", "(via video)"),
        ("actor", "Peru"),
        ("person", "Dr. C. Day"),
        ("label", "Apologies received"),
        ("actor", "Ghana"),
        ("actor", "Fiji"),
    ]


def test_no_fact_rests_on_an_unresolved_name_and_every_review_item_keeps_its_passage() -> None:
    for path in sorted(VARIANTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ex = extract_document(path, path.read_bytes())
        refs = [a.actor for a in ex.attendance] + [a.actor for a in ex.apologies]
        refs += [h.holder for h in ex.holdings if h.holder]
        refs += [o.state for o in ex.obligation_events]
        assert all(r.resolved for r in refs), path.name
        for item in ex.review:
            p = item.passage
            assert text[p.start : p.end] == p.quote, (path.name, item)


def test_an_unknown_delegation_and_its_person_go_to_review() -> None:
    path = VARIANTS / "001-variant-unknown-org.txt"
    ex = extract_document(path, path.read_bytes())
    assert {(r.text, r.reason, r.context) for r in ex.review} == {
        ("Mine Action Review Collective", "unresolved-name", "attendance"),
        ("Ms. Jane Doe", "person-name", "attendance"),
    }


def test_a_yearless_meeting_is_kept_uncertain_with_candidates_and_evidence() -> None:
    path = VARIANTS / "101-variant-yearless-weekday.txt"
    ex = extract_document(path, path.read_bytes())
    m = ex.meeting
    assert m is not None and m.date is None and m.date_status == "uncertain"
    assert m.year_candidates[:2] == (2017, 2023)
    assert "weekday: Monday" in m.date_evidence and m.date_rule == "none"
    assert len(ex.attendance) == 4  # the attendance is kept
