"""The layers of pyproject's import-linter contract hold, and no package uses another's
private names (a leading underscore is a promise to the package's own modules only)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from devtools.layout import ROOT, installed_tree


def test_import_linter_contract_is_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devtools.layers"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _package_of(module: str) -> str:
    """ccmkg.api.routes.x -> ccmkg.api: the sub-package that owns a module."""
    return ".".join(module.split(".")[:2])


def _private_uses(tree_root: Path) -> list[str]:
    found = []
    files = [
        Path(folder) / name
        for folder, _, names in os.walk(tree_root / "ccmkg", followlinks=True)
        for name in names
        if name.endswith(".py")
    ]
    assert len(files) > 50, "the installed layout should hold every module"
    for path in sorted(files):
        rel = path.relative_to(tree_root).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if not target.startswith("ccmkg.") or _package_of(target) == _package_of(module):
                    continue
                private = [
                    p for p in target.split(".") if p.startswith("_") and not p.endswith("__")
                ]
                if private:
                    found.append(f"{module} uses {target}")
    return found


def test_no_package_reaches_into_another_packages_private_names() -> None:
    with installed_tree() as tree:
        assert _private_uses(tree) == []
