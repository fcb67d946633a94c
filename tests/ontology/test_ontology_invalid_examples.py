"""Each hand-written invalid example adds one defect to the valid graph; exactly that shape fires.

The examples live in data/invalid/*.ttl, indexed in data/invalid/index.yaml with the expected
shape, severity and a fragment of the message a data steward reads. They run on the engine
the package ships; tests/validation/test_package_engine.py checks that pyshacl gives the same
results (shape, severity, message) on every one of them.
"""

from __future__ import annotations

import pytest
import yaml
from ontology_shacl_run import DATA, parse, shapes, validate_shipped

INVALID = DATA / "invalid"
CASES = yaml.safe_load((INVALID / "index.yaml").read_text(encoding="utf-8"))["cases"]


def test_there_are_at_least_30_violation_examples_and_each_file_is_indexed() -> None:
    violations = [c for c in CASES if c["severity"] == "Violation"]
    assert len(violations) >= 30
    assert sorted(p.name for p in INVALID.glob("*.ttl")) == sorted(c["file"] for c in CASES)


def test_every_expected_shape_exists() -> None:
    from ontology_shacl_run import CCMSH

    missing = [c["shape"] for c in CASES if (CCMSH[c["shape"]], None, None) not in shapes()]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_invalid_example_fails_with_expected_shape_and_message(case: dict[str, str]) -> None:
    data = parse(DATA / "valid.ttl", INVALID / case["file"])
    conforms, findings = validate_shipped(data)
    fired = {(f.shape, f.severity) for f in findings}
    assert fired == {(case["shape"], case["severity"])}, findings
    assert all(case["message"] in f.message for f in findings), findings
    if case["severity"] == "Violation":
        assert not conforms
