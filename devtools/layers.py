"""`python -m devtools.layers`: the import-linter contracts of pyproject.toml, on the
installed layout of `ccmkg` (see layout.py). Exits with lint-imports' code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from devtools.layout import ROOT, installed_tree


def main() -> int:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    with installed_tree() as tree:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        config = str(ROOT / "pyproject.toml")
        return subprocess.run(
            [lint, config, "--no-cache"], cwd=tree, env=env, check=False
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
