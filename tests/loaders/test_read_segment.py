"""loaders/segment.py: headings, wrapped lines, and the blocks extractors rely on."""

from __future__ import annotations

import pytest

from ccmkg.loaders.segment import block_label, blocks, heading_of, segment


@pytest.mark.parametrize(
    ("line", "number", "title", "level"),
    [
        (
            "5.1 Universalization (Ecuador and Zambia)",
            "5.1",
            "Universalization (Ecuador and Zambia)",
            2,
        ),
        ("10. Date of the Next CC Meeting", "10", "Date of the Next CC Meeting", 1),
        ("Agenda Item 3 - ISU Paper", "3", "ISU Paper", 1),
        ("II. Programme of meetings", "II", "Programme of meetings", 1),
        ("V.1 Universalisation", "V.1", "Universalisation", 2),
        ("(b) Bosnia and Herzegovina", "b", "Bosnia and Herzegovina", 3),
    ],
)
def test_headings(line: str, number: str, title: str, level: int) -> None:
    h = heading_of(line)
    assert h is not None
    assert (h.number, h.title, h.level) == (number, title, level)


@pytest.mark.parametrize(
    "line",
    [
        "30 AUG - 2 SEPT",
        "I met the delegation",
        "1. The implementation of the Convention is supported by a machinery made up of distinct "
        "areas, and this numbered paragraph is body text.",
        "- a bullet",
    ],
)
def test_not_headings(line: str) -> None:
    assert heading_of(line) is None


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("1. PRESENT:", "present"),
        ("List of Attendees:", "present"),
        ("#### Apologies received:", None),  # markup is stripped by text.clean first
        ("Apologies received:", "apologies-received"),
        ("APOLOGIES NOT RECEIVED", "apologies-not-received"),
        ("Action points:", "action-points"),
        ("Draft agenda", "draft-agenda"),
        ("Presentation of concept notes", None),
    ],
)
def test_block_labels(line: str, label: str | None) -> None:
    assert block_label(line) == label


def test_wrapped_lines_join_their_bullet_and_keep_length() -> None:
    text = "- (Coord.): Have met to\n discuss the agenda.\n- Next item"
    paras = segment(text)
    assert [p.kind for p in paras] == ["bullet", "bullet"]
    assert paras[0].text == text[paras[0].start : paras[0].end].replace("\n", " ")


def test_blocks_stop_at_the_next_heading_and_at_inline_labels() -> None:
    text = (
        "1. PRESENT:\n\nAustria\n\nMr. A B\n\nApologies received: Chile\n\n"
        "APOLOGIES NOT RECEIVED\n\nCroatia\n\n2. Opening\n\nBody."
    )
    bl = blocks(segment(text))
    assert [(b.label, [p.text for p in b.items]) for b in bl] == [
        ("present", ["Austria", "Mr. A B"]),
        ("apologies-not-received", ["Croatia"]),
    ]


def test_section_labels_follow_the_heading_stack() -> None:
    paras = segment("5. Updates\n\n5.2 Clearance (Norway)\n\nNorway reported.\n\n6. Next\n\nText.")
    body = [p for p in paras if p.kind == "text"]
    assert [p.section for p in body] == ["5.2", "6"]
