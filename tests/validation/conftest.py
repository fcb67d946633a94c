"""Shapes of our own, so these tests do not move when shapes/ changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmkg.rdf_input import TURTLE, parse_rdf
from ccmkg.validation import Validator

TEST_SHAPES = b"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://ccm-kg.org/shapes/test#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

t:StateShape a sh:NodeShape ; sh:targetClass ccm:State ;
  sh:property t:State-iso3 , t:State-label .
t:State-iso3 sh:path ccm:iso3 ; sh:maxCount 1 ; sh:pattern "^[A-Z]{3}$" ;
  sh:message "ccm:iso3 must be three upper-case letters"@en .
t:State-label sh:path rdfs:label ; sh:minCount 1 ; sh:severity sh:Warning .

t:HoldingShape a sh:NodeShape ; sh:targetClass ccm:PostHolding ;
  sh:property [ sh:path ccm:holder ; sh:minCount 1 ; sh:class ccm:State ;
                sh:message "a holding's ccm:holder must be a known ccm:State"@en ] ;
  sh:property [ sh:path ccm:from ; sh:datatype xsd:date ; sh:maxCount 1 ] .

t:DatedShape a sh:NodeShape ; sh:targetClass ccm:PostHolding ;
  sh:sparql [ sh:select \"\"\"
      SELECT $this ?value WHERE {
        $this <https://ccm-kg.org/ontology#from> ?value ; <https://ccm-kg.org/ontology#until> ?u .
        FILTER (?u < ?value) }\"\"\" ;
    sh:message "a holding ends before it starts" ] .
"""

TEST_ONTOLOGY = b"""
@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ccm:Actor a owl:Class . ccm:State a owl:Class ; rdfs:subClassOf ccm:Actor .
ccm:PartyState a owl:Class ; rdfs:subClassOf ccm:State .
ccm:PostHolding a owl:Class .
"""

PREFIXES = """@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://ccm-kg.org/id/> .
"""


def ttl(body: str) -> bytes:
    return (PREFIXES + body).encode()


@pytest.fixture(scope="session", params=["auto", "pyshacl"])
def validator(request: pytest.FixtureRequest) -> Validator:
    shapes = parse_rdf(TEST_SHAPES, TURTLE, source="test shapes").graph
    onto = parse_rdf(TEST_ONTOLOGY, TURTLE, source="test ontology").graph
    return Validator(shapes, onto, engine=request.param)


@pytest.fixture(scope="session")
def shapes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "test-shapes.ttl"
    path.write_bytes(TEST_SHAPES)
    return path
