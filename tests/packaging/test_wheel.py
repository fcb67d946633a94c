"""A built wheel has one top-level import package, `ccmkg`, carrying the data folders."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # builds a wheel
def test_wheel_contains_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("ccm_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"ccmkg"}, f"the wheel installs other top-level names: {sorted(top - {'ccmkg'})}"
    assert "ccmkg/ontology/ccm.ttl" in names
    assert any(n.startswith("ccmkg/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("ccmkg/queries/") and n.endswith(".rq") for n in names)
    shipped = {n.removeprefix("ccmkg/corpus/") for n in names if n.startswith("ccmkg/corpus/")}
    on_disk = {p.name for p in (ROOT / "corpus").iterdir() if p.suffix in {".txt", ".yaml"}}
    assert on_disk <= shipped
    assert "ccmkg/cli/__init__.py" in names
    assert "ccmkg/api/static/index.html" in names
    assert "ccmkg/model/data/state_aliases.csv" in names
    assert "ccmkg/model/data/honorifics.txt" in names
    assert any(n.startswith("ccmkg/loaders/rules/") for n in names)
    assert not any(n.startswith(("ccmkg/tests", "devtools")) for n in names)


def test_every_package_folder_is_listed_in_pyproject() -> None:
    """A new sub-package folder must be named in pyproject, or the wheel would miss it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    mapping = config["setuptools"]["package-dir"]
    found = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            nested = any(
                (ROOT / folder / Path(*rel[:i])).resolve() == (ROOT / other).resolve()
                for i in range(1, len(rel) + 1)
                for other in mapping.values()
            )
            if not nested:
                found.add(".".join((package, *rel)))
    assert found == listed


def test_cli_lists_the_subcommands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("load", "serve", "query", "validate", "ingest", "export"):
        assert command in out
