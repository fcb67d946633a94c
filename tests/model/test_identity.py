"""ccmkg.model: IRI patterns mint and parse back; vocabularies and names resolve alike."""

from __future__ import annotations

import pytest

from ccmkg.model.iri import PATTERNS, IriScheme, meeting_key, numbered_meeting_key
from ccmkg.model.names import fold, person_key, slug, split_honorific, squash
from ccmkg.model.resolve import resolver
from ccmkg.model.vocab import vocabulary

BASE = "https://example.org/kg/"

SLOTS = {
    "passage": {"doc": "abc123", "start": 10, "end": 42},
    "post": {"key": "coordinator/universalization"},
    "fact": {"kind": "holding", "key": "0f3a"},
}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_every_pattern_mints_and_parses_back(name: str) -> None:
    scheme = IriScheme(BASE)
    slots = SLOTS.get(name, {"key": "k-1"} if "{key}" in PATTERNS[name] else {})
    iri = scheme.mint(name, **slots)
    assert str(iri).startswith(BASE)
    parsed = scheme.parse(str(iri))
    assert parsed == (name, {k: str(v) for k, v in slots.items()})


def test_a_foreign_iri_parses_to_nothing() -> None:
    assert IriScheme(BASE).parse("https://elsewhere.org/id/meeting/msp-6") is None
    assert IriScheme("https://example.org/kg").base == BASE


@pytest.mark.parametrize("written", ["6MSP", "6msp", " 6 MSP ", "msp-6"])
def test_short_meeting_ids_are_one_key(written: str) -> None:
    assert meeting_key(written) == numbered_meeting_key("meeting-of-states-parties", 6)


@pytest.mark.parametrize(
    ("scheme", "written", "slug"),
    [
        ("areas", "Universalisation", "universalization"),
        ("areas", "NIM", "national-implementation-measures"),
        ("areas", "victim assistance", "victim-assistance"),
        ("meeting_kinds", "MSP", "meeting-of-states-parties"),
        ("meeting_kinds", "meeting-of-states-parties", "meeting-of-states-parties"),
        ("meeting_kinds", "CorCom", "coordination-committee"),
        ("families", "coordination-committee-minutes", "coordination-committee-minutes"),
        ("roles", "President-designate", "president-designate"),
        ("event_types", "bilateral-follow-up", "bilateral-follow-up"),
    ],
)
def test_vocabularies_come_from_the_ontology(scheme: str, written: str, slug: str) -> None:
    term = getattr(vocabulary(), scheme).resolve(written)
    assert term is not None and term.slug == slug
    assert getattr(vocabulary(), scheme).by_iri(term.iri) == term


def test_articles_come_from_the_ontology() -> None:
    assert set(vocabulary().articles) >= {3, 4, 7}


@pytest.mark.parametrize(
    ("written", "iso3"),
    [("UK", "GBR"), ("zm", "ZMB"), ("ZMB", "ZMB"), ("The Netherlands", "NLD"), ("Holland", "NLD")],
)
def test_states_resolve_by_code_name_or_alias(written: str, iso3: str) -> None:
    hit = resolver().state(written, codes=True)
    assert hit is not None and hit[0] == iso3


def test_codes_are_only_taken_when_asked() -> None:
    """In running text "IN" or "TO" are words, not India or Tonga."""
    assert resolver().state("to") is None
    assert resolver().state("to", codes=True) is not None


def test_an_unknown_name_is_none_never_a_guess() -> None:
    assert resolver().actor("Ms. Alida Example") is None
    assert resolver().actor("1|") is None


def test_names_fold_alike() -> None:
    assert fold("Masméjan") == fold("MASMEJAN") == "masmejan"
    assert fold("Bosnia & Herzegovina") == fold("Bosnia and Herzegovina")
    assert fold("The Netherlands") == "netherlands"
    assert squash("Van der Kwast") == "vanderkwast"
    assert slug("Clearance & Risk Reduction!") == "clearance-and-risk-reduction"
    assert split_honorific("H.E. Mr. Jan Example") == ("H.E. Mr.", "Jan Example")
    assert person_key("Ambassador Anna van der Berg") == person_key("H.E. Anna Van der Berg")
    # a title glued to the name, after another title (as printed in a UN press release)
    assert split_honorific("Honorable Dr.Jan Example") == ("Honorable Dr.", "Jan Example")
    assert split_honorific("Hon. Jan Example") == ("Hon.", "Jan Example")
    assert split_honorific("Hong Example")[0] is None  # a title is a whole word


def test_every_demonym_row_names_a_known_state_and_resolves() -> None:
    """ccmkg/model/data/state_demonyms.csv row by row: a known ISO3, and the form resolves."""
    import csv

    from ccmkg.model.resolve import data_dir, resolver

    r = resolver()
    with (data_dir() / "state_demonyms.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert len(rows) > 150
    for row in rows:
        assert r.state_label(row["iso3"]) != row["iso3"], row
        assert r.state_adjective(row["demonym"]) == row["iso3"], row


def test_a_demonym_two_states_share_is_never_guessed() -> None:
    from ccmkg.model.resolve import resolver

    for form in ("Congolese", "Dominican", "Korean", "Guinean", "American"):
        assert resolver().state_adjective(form) is None


@pytest.mark.parametrize(
    ("written", "bare"),
    [
        ("Ana Ruiz Mendoza.", "Ana Ruiz Mendoza"),  # a name that ends a sentence
        ("H.E. Mr. Félix Baumann.", "Félix Baumann"),
        ("Encyla T. C.", "Encyla T. C."),  # an initial keeps its dot
        ("John Smith Jr.", "John Smith Jr."),  # so does a short abbreviation
    ],
)
def test_a_sentence_stop_is_not_part_of_a_name(written: str, bare: str) -> None:
    assert split_honorific(written)[1] == bare
    assert person_key(written) == person_key(bare)
