"""ccmkg/model/terms.py is generated from the ontology: fresh, closed, complete."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from ccmkg.model import terms_gen
from ccmkg.model.terms import CCM


def test_committed_terms_module_is_what_the_generator_writes_now() -> None:
    expected = terms_gen.render()
    actual = terms_gen.TARGET.read_text(encoding="utf-8")
    assert actual == expected, "ccmkg/model/terms.py is stale: run python -m ccmkg.model.terms_gen"


def test_check_mode_reports_fresh_file() -> None:
    assert terms_gen.main(["--check"]) == 0


def test_every_ontology_term_is_in_the_namespace_and_nothing_else_is() -> None:
    from rdflib import Graph

    from ccmkg.resources import ontology_file

    g = Graph().parse(ontology_file())
    declared = {
        str(s)[len(terms_gen.NAMESPACE) :]
        for s in g.subjects()
        if isinstance(s, URIRef) and str(s).startswith(terms_gen.NAMESPACE)
    }
    assert set(CCM.__annotations__) == declared
    for name in declared:
        assert getattr(CCM, name) == URIRef(terms_gen.NAMESPACE + name)


def test_the_namespace_is_closed() -> None:
    with pytest.raises(AttributeError):
        _ = CCM.PostHoldin


def test_generator_sees_a_new_term(tmp_path) -> None:
    from ccmkg.resources import ontology_file

    extra = ontology_file().read_text(encoding="utf-8") + (
        '\nccm:Brandnew a owl:Class ; rdfs:label "brand new"@en ; '
        'skos:definition "Only in this test."@en .\n'
    )
    path = tmp_path / "ccm.ttl"
    path.write_text(extra, encoding="utf-8")
    assert "    Brandnew: URIRef  # brand new" in terms_gen.render(path)
    assert "Brandnew" not in terms_gen.render()
