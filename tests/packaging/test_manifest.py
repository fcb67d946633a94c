"""The bundled corpus is byte-for-byte what the manifest says it is."""

from __future__ import annotations

import hashlib

import yaml

from ccmkg.loaders.registry import default_registry
from ccmkg.resources import corpus_dir, corpus_files


def _manifest() -> list[dict[str, object]]:
    data = yaml.safe_load((corpus_dir() / "manifest.yaml").read_text(encoding="utf-8"))
    return list(data["documents"])


def test_every_corpus_file_is_in_the_manifest_with_its_checksum() -> None:
    rows = {str(row["file"]): row for row in _manifest()}
    files = corpus_files()
    assert sorted(rows) == sorted(path.name for path in files)
    for path in files:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == rows[path.name]["sha256"], path.name


def test_manifest_rows_name_a_known_family() -> None:
    families = {f.name for f in default_registry() if not f.fallback}
    for row in _manifest():
        assert row["family"] in families
        assert row["title"]
