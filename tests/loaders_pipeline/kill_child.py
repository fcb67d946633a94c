"""The body of a loader process that the kill test kills: the real CLI, progress to a file."""

from __future__ import annotations

import os
import sys


def run_cli(args: list[str], progress_file: str, env: dict[str, str] | None = None) -> None:
    """Run `ccmkg <args>` with stderr (one line per document written) going to a file, and
    `env` added to the environment (settings are read from it when the command starts)."""
    os.environ.update(env or {})
    out = open(progress_file, "w", buffering=1, encoding="utf-8")  # noqa: SIM115
    sys.stderr = out
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from ccmkg.cli import app

    try:
        app(args, prog_name="ccmkg", standalone_mode=False)
    finally:
        out.flush()
