"""The gazetteer tables (ccmkg/model/data/) tested row by row, and the loaders' text search."""

from __future__ import annotations

import csv

import pycountry
import pytest

from ccmkg.loaders.gazetteer import PersonIndex, gazetteer, norm, person, person_key
from ccmkg.model.resolve import data_dir, resolver

DATA_DIR = data_dir()

with open(DATA_DIR / "state_aliases.csv", encoding="utf-8") as _fh:
    STATE_ROWS = list(csv.DictReader(_fh))
with open(DATA_DIR / "organizations.csv", encoding="utf-8") as _fh:
    ORG_ROWS = list(csv.DictReader(_fh))
with open(DATA_DIR / "state_labels.csv", encoding="utf-8") as _fh:
    LABEL_ROWS = list(csv.DictReader(_fh))


@pytest.mark.parametrize("row", LABEL_ROWS, ids=lambda r: r["iso3"])
def test_state_label_row(row: dict[str, str]) -> None:
    assert pycountry.countries.get(alpha_3=row["iso3"]) is not None, "ISO code must exist"
    assert resolver().state_label(row["iso3"]) == row["label"]
    assert resolver().state(row["label"]) is not None, "a label must also resolve as a name"


@pytest.mark.parametrize("row", STATE_ROWS, ids=lambda r: r["alias"])
def test_state_alias_row(row: dict[str, str]) -> None:
    assert pycountry.countries.get(alpha_3=row["iso3"]) is not None, "ISO code must exist"
    assert row["form"] in {"name", "adjective"}
    g = gazetteer()
    if row["form"] == "name":
        assert g.state(row["alias"]) == (row["iso3"], "alias table")
        assert [m.key for m in g.find_states(f"said {row['alias']} today")] == [row["iso3"]]
    else:
        assert resolver().state_adjective(row["alias"]) == row["iso3"]


def test_state_aliases_are_unique() -> None:
    names = [norm(r["alias"]) for r in STATE_ROWS if r["form"] == "name"]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("row", ORG_ROWS, ids=lambda r: r["acronym"])
def test_organization_row(row: dict[str, str]) -> None:
    g = gazetteer()
    for name in [row["acronym"], row["name"], *filter(None, row["aliases"].split(";"))]:
        assert g.org(name) == row["acronym"], name
        assert g.state(name) is None, f"{name} collides with a State"


def test_no_alias_names_two_organizations() -> None:
    seen: dict[str, str] = {}
    for row in ORG_ROWS:
        for name in {row["acronym"], row["name"], *filter(None, row["aliases"].split(";"))}:
            assert seen.setdefault(norm(name), row["acronym"]) == row["acronym"], name


def test_areas_come_from_the_skos_scheme() -> None:
    g = gazetteer()
    assert len(g.area_labels) == 8
    for label, notation in [
        ("Universalisation", "universalization"),
        ("Clearance and Risk Education", "clearance-and-risk-reduction"),
        ("Transparency Reporting", "transparency-measures"),
        ("Coop. & Assist.", "cooperation-and-assistance"),
        ("General Status and Operations of the Convention", "general-status-and-operation"),
    ]:
        assert g.area(label) == notation


def test_pycountry_names_resolve_with_their_reason() -> None:
    g = gazetteer()
    assert g.state("Zambia") == ("ZMB", "pycountry name")
    assert g.state("Republic of Korea") is not None
    assert g.state("Atlantis") is None


def test_unknown_actor_is_flagged_not_guessed() -> None:
    g = gazetteer()
    assert g.actor("Mine Action Review Collective") is None
    ref = g.unresolved("Mine Action Review Collective")
    assert (ref.key, ref.resolved) == ("mine-action-review-collective", False)


def test_states_in_text_do_not_match_inside_words_or_lowercase() -> None:
    g = gazetteer()
    assert [m.key for m in g.find_states("the chad pattern; Chadian; Chad.")] == ["TCD"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("H.E. Henk Cor Van der Kwast", "Ambassador Henk Cor van der Kwast"),
        ("Ms. Markéta Homolková", "Marketa Homolkova"),
        ("Mr. Sabah Al-Janaby", "Sabah Al Janaby"),
        ("H.E. Mr. Abdul-Karim Hashim Mostafa", "Abdul Karim Hashim Mostafa"),
    ],
)
def test_person_keys_ignore_honorific_case_accents_punctuation(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)


def test_person_honorific_split() -> None:
    p = person("H.E. Mr. Abdul-Karim Hashim Mostafa")
    assert (p.honorific, p.name) == ("H.E. Mr.", "Abdul-Karim Hashim Mostafa")


def test_person_index_gives_the_reason() -> None:
    idx = PersonIndex()
    assert idx.resolve("Ms. Sheila N. Mweemba")[1] == "new"
    assert idx.resolve("Sheila N. Mweemba") == ("sheila-n-mweemba", "exact")
    assert idx.resolve("S. N. Mweemba") == ("sheila-n-mweemba", "initials")
    assert idx.resolve("Laurent Masmejean")[1] == "new"
    assert idx.near("Laurent Masmejan") == ["laurent-masmejean"]
