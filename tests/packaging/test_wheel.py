"""A built wheel carries the ontology, the shapes, the queries and the corpus as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("ccm_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ontology/ccm.ttl" in names
    assert any(n.startswith("shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("queries/") and n.endswith(".rq") for n in names)
    assert sum(1 for n in names if n.startswith("corpus/") and n.endswith(".txt")) == 5
    assert "corpus/manifest.yaml" in names
    assert "ccmkg/cli/__init__.py" in names


def test_cli_lists_the_subcommands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("load", "serve", "query", "validate", "ingest", "export"):
        assert command in out
