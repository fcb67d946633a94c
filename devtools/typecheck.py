"""`python -m devtools.typecheck`: mypy on the installed layout of `ccmkg` (see layout.py).

On the source tree `from ccmkg.api...` would be an unresolved import, silently `Any`; on the
installed layout every cross-package call is type-checked. Exits with mypy's code.
mypy's incremental cache lives in the repository's (git-ignored) `.mypy_cache`, not in the
throw-away tree: a warm run takes well under a second instead of several.
"""

from __future__ import annotations

import subprocess
import sys

from devtools.layout import ROOT, installed_tree


def main() -> int:
    with installed_tree() as tree:
        config, cache = str(ROOT / "pyproject.toml"), str(ROOT / ".mypy_cache")
        cmd = [sys.executable, "-m", "mypy", "--config-file", config, "--cache-dir", cache]
        return subprocess.run([*cmd, "-p", "ccmkg"], cwd=tree, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
