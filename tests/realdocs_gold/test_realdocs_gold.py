"""The real development set's gold files (tests/realdocs/**.yaml) are well formed: every one
says where its text comes from, and every State, organisation and area in its facts is one the
model knows. The texts themselves stay out of git; `python -m devtools.realdocs` scores them."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import yaml

from ccmkg.model.resolve import resolver
from ccmkg.model.vocab import vocabulary

GOLD = Path(__file__).resolve().parents[1] / "realdocs"
FILES = sorted(GOLD.rglob("*.yaml"))
# Kinds whose rows start with an actor code, and the cell that holds a thematic area.
ACTOR_FIRST = ("participants", "apology_persons", "holdings", "obligations", "ratifications")
AREA_CELL = {"holdings": 2, "working_groups": 1}


def _known_actor(code: str) -> bool:
    if code in resolver().org_labels:
        return True
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


def _cells(row: object) -> list[str]:
    return [c.strip() for c in str(row).split("#")[0].split("|")]


def test_there_is_a_development_set() -> None:
    assert len([f for f in FILES if f.parent == GOLD]) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(GOLD)))
def test_gold_file_is_sourced_and_uses_known_codes(path: Path) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    for field in ("id", "url", "query", "retrieved", "genre", "gold"):
        assert record.get(field) not in (None, ""), f"{path.name}: no {field}"
    assert record["url"].startswith(("http://", "https://"))
    gold = record["gold"]
    for kind in ("attendance", "apologies"):
        for code in gold.get(kind) or []:
            assert _known_actor(_cells(code)[0]), f"{path.name} {kind}: {code}"
    for kind in ACTOR_FIRST:
        for row in gold.get(kind) or []:
            assert _known_actor(_cells(row)[0]), f"{path.name} {kind}: {row}"
    slugs = set(vocabulary().areas.slugs)
    for kind, cell in AREA_CELL.items():
        for row in gold.get(kind) or []:
            value = _cells(row)[cell] if len(_cells(row)) > cell else ""
            if value and "-" in value and value.islower() and kind == "holdings":
                assert value in slugs, f"{path.name} {kind}: unknown area {value!r}"
