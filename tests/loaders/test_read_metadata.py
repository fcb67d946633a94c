"""loaders/metadata.py: dates (with inferred years), times, ordinals, meeting refs, families."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from ccmkg.loaders import metadata as md
from ccmkg.loaders.registry import default_registry


def test_full_date_with_weekday_and_suffix() -> None:
    (d,) = md.find_dates("held on Wednesday 1st December 2021")
    assert (d.date, d.inferred, d.weekday) == (dt.date(2021, 12, 1), False, 2)


def test_month_first_date() -> None:
    (d,) = md.find_dates("held on Wednesday, December 1st, 2021")
    assert d.date == dt.date(2021, 12, 1)


def test_yearless_date_takes_the_context_year_whose_calendar_matches_the_weekday() -> None:
    # 24 January fell on a Tuesday in 2012, not in 2013: the weekday decides.
    (d,) = md.find_dates("Tuesday 24 January", Counter({2013: 9, 2012: 8}))
    assert (d.date, d.inferred) == (dt.date(2012, 1, 24), True)


def test_yearless_date_without_weekday_takes_a_dominant_year() -> None:
    (d,) = md.find_dates("on 13 December", Counter({2011: 3, 2012: 1}))
    assert (d.date, d.inferred) == (dt.date(2011, 12, 13), True)


def test_yearless_date_stays_open_when_nothing_fits() -> None:
    (d,) = md.find_dates("Tuesday 24 January", Counter({2019: 3}))  # 2018-2020: no
    assert d.date is None


def test_month_year_is_not_a_day() -> None:
    assert [d.date for d in md.find_dates("early February 2022")] == []


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from 10:00 - 11:00 hours", dt.time(10), dt.time(11)),
        ("from 10:00 to 11:30 hours", dt.time(10), dt.time(11, 30)),
        ("1 February 2011, 13:00 – 15:00", dt.time(13), dt.time(15)),
        ("from 10.00 – 11.30 hrs", dt.time(10), dt.time(11, 30)),
        ("2 pm - 4 pm", dt.time(14), dt.time(16)),
    ],
)
def test_time_ranges(text: str, start: dt.time, end: dt.time) -> None:
    tr = md.find_time_range(text)
    assert tr is not None and tr[:2] == (start, end)


def test_a_day_range_is_not_a_time_range() -> None:
    assert md.find_time_range("Lausanne, 23-27 November 2020") is None
    assert md.find_date_range("Lausanne, 23-27 November 2020")[:2] == (  # type: ignore[index]
        dt.date(2020, 11, 23),
        dt.date(2020, 11, 27),
    )


@pytest.mark.parametrize(
    ("text", "ordinal", "scope"),
    [
        ("The 4rd Coordination Committee meeting of 2016 was opened", 4, "of 2016"),
        (
            "the third Coordination Committee Meeting under the UK Presidency, which",
            3,
            "under the UK Presidency",
        ),
        ("4th Meeting of the CCM Coordination Committee", 4, None),
        ("the 2nd CorCom meeting in 2013", 2, "in 2013"),
    ],
)
def test_meeting_ordinals(text: str, ordinal: int, scope: str | None) -> None:
    found = md.find_meeting_ordinal(text)
    assert found is not None and found[:2] == (ordinal, scope)


def test_meeting_refs() -> None:
    labels = [
        r.label
        for r, _, _ in md.find_meeting_refs(
            "the 6MSP, the 6 MSP, the 7th MSP President, the 2RC, the Second Review Conference, "
            "the 10th Meeting of States Parties"
        )
    ]
    assert labels == ["6MSP", "6MSP", "7MSP", "2RC", "2RC", "10MSP"]


@pytest.mark.parametrize(
    ("head", "family"),
    [
        (
            "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING\n1. PRESENT:",
            "coordination-committee-minutes",
        ),
        (
            "Meeting of the Friends of the President\nMinutes and action points",
            "friends-of-the-president-minutes",
        ),
        (
            "Original: English\nItem 8 of the provisional agenda\nSubmitted by the President",
            "working-paper",
        ),
        ("A shopping list\nbread, milk", "unknown"),
    ],
)
def test_family_registry(head: str, family: str) -> None:
    assert default_registry().detect(head).name == family


def test_venue_line() -> None:
    assert md.venue_from_line("in Conference Room 6, Tower 3, Maison de la Paix,") == (
        "Conference Room 6, Tower 3, Maison de la Paix"
    )
    assert md.venue_from_line("in the meantime we agreed") is None
