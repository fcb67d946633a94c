"""`ccmkg load`: placeholder until its issue lands."""

from __future__ import annotations

import typer

from ccmkg.cli.common import StoreOption, console

NAME = "load"
HELP = "Load documents (files or folders) into the store, one named graph each."


def run(store: StoreOption = None) -> None:
    console.print("[red]not yet implemented[/red]")
    raise typer.Exit(3)
