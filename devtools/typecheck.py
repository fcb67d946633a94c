"""Run mypy on the installed layout of `ccmkg`, where `api/` is `ccmkg.api` and so on.

mypy resolves modules from folders, not through setuptools' package-dir mapping, so on the
source tree `from ccmkg.api...` would be an unresolved import (and silently `Any`). We build
a throw-away tree of symlinks shaped like the wheel and check that: every cross-package call
is type-checked. `python -m devtools.typecheck` prints mypy's report and exits with its code.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """pyproject's package-dir mapping: dotted package -> its folder in the repository."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: ROOT / folder for name, folder in mapping.items()}


def build_tree(into: Path) -> Path:
    """Symlink every mapped folder to where the wheel puts it; returns the `ccmkg` root."""
    top = into / "ccmkg"
    top.mkdir()
    for entry in (ROOT / "ccmkg").iterdir():
        if entry.name != "__pycache__":
            (top / entry.name).symlink_to(entry)
    for name, folder in package_dirs().items():
        if name != "ccmkg":
            (into / Path(*name.split("."))).symlink_to(folder, target_is_directory=True)
    return top


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ccmkg-mypy-") as tmp:
        build_tree(Path(tmp))
        cmd = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
        done = subprocess.run([*cmd, "-p", "ccmkg"], cwd=tmp, check=False)
        return done.returncode


if __name__ == "__main__":
    sys.exit(main())
