"""Regression: a property IRI without '/' or '#' (found by schemathesis through /ingest) made
the VoID description mint an empty vocabulary IRI and cut /dump.nq short."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ccmkg.void import _namespace_of


@pytest.mark.parametrize(
    ("iri", "namespace"),
    [
        ("http://www.w3.org/ns/org#role", "http://www.w3.org/ns/org#"),
        ("https://schema.org/startDate", "https://schema.org/"),
        ("urn:example", "urn:example"),
        ("tag:p", "tag:p"),
    ],
)
def test_every_vocabulary_namespace_is_an_iri(iri: str, namespace: str) -> None:
    assert _namespace_of(iri) == namespace
    ox.NamedNode(namespace)
