"""`ccmkg serve`: placeholder until its issue lands."""

from __future__ import annotations

import typer

from ccmkg.cli.common import StoreOption, console

NAME = "serve"
HELP = "serve (not yet implemented)."


def run(store: StoreOption = None) -> None:
    console.print("[red]not yet implemented[/red]")
    raise typer.Exit(3)
