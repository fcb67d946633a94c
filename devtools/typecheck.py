"""`python -m devtools.typecheck`: mypy on the installed layout of `ccmkg` (see layout.py).

On the source tree `from ccmkg.api...` would be an unresolved import, silently `Any`; on the
installed layout every cross-package call is type-checked. Exits with mypy's code.
"""

from __future__ import annotations

import subprocess
import sys

from devtools.layout import ROOT, installed_tree


def main() -> int:
    with installed_tree() as tree:
        cmd = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
        return subprocess.run([*cmd, "-p", "ccmkg"], cwd=tree, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
