"""The `ccmkg` command line: one module per subcommand, registered here."""

from __future__ import annotations

import typer

from ccmkg.cli import export, ingest, load, query, serve, sparql, validate

app = typer.Typer(
    name="ccmkg",
    help="Knowledge graph of the actors and commitments of the Convention on Cluster Munitions.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

for module in (load, serve, query, sparql, validate, ingest, export):
    app.command(name=module.NAME, help=module.HELP)(module.run)
