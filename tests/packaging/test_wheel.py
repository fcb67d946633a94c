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
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    log = built.stdout + built.stderr  # -v shows setuptools' own warnings
    assert "Package would be ignored" not in log
    assert "project.license` as a TOML table is deprecated" not in log
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
    assert any(n.startswith("ccmkg/queries/checks/") and n.endswith(".rq") for n in names)
    assert any(n.startswith("ccmkg/queries/rules/") and n.endswith(".rq") for n in names)
    assert any("LICENSE" in n for n in names if ".dist-info/" in n)
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
    data = listed - found  # data folders: listed so setuptools ships them, no Python inside
    for name in data:
        folder = _folder(name, mapping)
        assert folder.is_dir(), f"{name} is listed in pyproject but {folder} does not exist"
        assert not any(folder.glob("*.py")), f"{name} holds Python but has no __init__.py"
    assert found <= listed


def _folder(package: str, mapping: dict[str, str]) -> Path:
    """The folder of a dotted package, through the longest package-dir prefix."""
    head = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
    return ROOT / mapping[head] / Path(*package[len(head) :].strip(".").split(".") or [""])


def test_no_setuptools_warnings_about_licence_or_ignored_data() -> None:
    """The licence is an SPDX string with its file, and every data folder is a listed package."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["license"] == "MIT"
    for pattern in config["project"]["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    listed = set(config["tool"]["setuptools"]["packages"])
    for data in ("ccmkg.api.static", "ccmkg.model.data", "ccmkg.loaders.rules",
                 "ccmkg.queries.checks", "ccmkg.queries.rules"):  # fmt: skip
        assert data in listed
        assert data in config["tool"]["setuptools"]["package-data"]


def test_cli_lists_the_subcommands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("load", "serve", "query", "validate", "ingest", "export"):
        assert command in out
