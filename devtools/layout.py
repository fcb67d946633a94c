"""The installed shape of `ccmkg` built from the source tree, for tools that read folders.

mypy and import-linter find modules by walking folders; they do not follow setuptools'
package-dir mapping (`api/` is `ccmkg.api`). `installed_tree()` gives a throw-away folder of
symlinks shaped like the wheel, where both tools see the real package.
"""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """pyproject's package-dir mapping: dotted package -> its folder in the repository."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: ROOT / folder for name, folder in mapping.items()}


@contextmanager
def installed_tree() -> Iterator[Path]:
    """A temporary folder holding `ccmkg/` as the wheel lays it out (symlinks)."""
    with tempfile.TemporaryDirectory(prefix="ccmkg-layout-") as tmp:
        into = Path(tmp)
        top = into / "ccmkg"
        top.mkdir()
        for entry in (ROOT / "ccmkg").iterdir():
            if entry.name != "__pycache__":
                (top / entry.name).symlink_to(entry)
        for name, folder in package_dirs().items():
            if name != "ccmkg":
                (into / Path(*name.split("."))).symlink_to(folder, target_is_directory=True)
        yield into
