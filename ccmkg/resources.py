"""Paths to the files shipped with the package (ontology, shapes, queries, corpus).

They live in top-level package directories so that an editable install and a built wheel
find them the same way, through importlib.resources.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _dir(package: str) -> Path:
    return Path(str(files(package)))


def ontology_file() -> Path:
    return _dir("ccmkg.ontology") / "ccm.ttl"


def shapes_dir() -> Path:
    return _dir("ccmkg.shapes")


def shape_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))


def queries_dir() -> Path:
    return _dir("ccmkg.queries")


def corpus_dir() -> Path:
    return _dir("ccmkg.corpus")


def corpus_files() -> list[Path]:
    return sorted(corpus_dir().glob("*.txt"))


def reference_dir() -> Path:
    return _dir("ccmkg.reference")
