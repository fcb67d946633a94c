"""`ccmkg query`: run one named query of queries/ (or list them) from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ccmkg.catalogue import Catalogue
from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.cli.output import Format, print_rows
from ccmkg.errors import BadParameter, CcmKgError

NAME = "query"
HELP = (
    "Run a named query (see --list) with --param k=v; print a table, CSV, TSV or JSON "
    "(a table is printed as TSV when stdout is not a terminal: never cut)."
)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    """`k=v` pairs → dict; a pair without `=` is a usage error, not a silent drop."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadParameter(f"--param {pair!r} is not k=v", hint="e.g. --param year=2016")
        params[key.strip()] = value
    return params


def _print_list(catalogue: Catalogue, out: Console) -> None:
    for name in catalogue.names():
        query = catalogue.get(name)
        params = ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in query.params)
        out.print(f"[bold]{name}[/bold]({params}) — {query.title}", highlight=False)


def run(
    name: Annotated[str | None, typer.Argument(help="Name of the query (file stem).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter, k=v (repeatable).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the named queries and their parameters.")
    ] = False,
    max_rows: Annotated[int | None, typer.Option("--max-rows", help="Row cap.")] = None,
    store: StoreOption = None,
) -> None:
    settings = settings_for(store)
    out = Console(soft_wrap=True)
    try:
        catalogue = Catalogue.load(base_iri=settings.base_iri)
        if list_queries or name is None:
            _print_list(catalogue, out)
            return
        params = _parse_params(param or [])
        catalogue.bindings(name, params)  # fail on bad input before opening the store
        from ccmkg.store import open_store

        opened = open_store(settings)
        try:
            rows = catalogue.run(
                opened, name, params, max_rows=max_rows or settings.max_result_rows,
                timeout_s=settings.query_timeout_s,
                service_allowlist=settings.service_allowlist,
            )  # fmt: skip
        finally:
            opened.close()
    except CcmKgError as exc:
        console.print(f"[red]{exc.message}[/red]")
        if exc.hint:
            console.print(exc.hint)
        raise typer.Exit(2) from None

    print_rows(rows, fmt)
    if rows.truncated:
        console.print(f"[yellow]truncated at {len(rows.rows)} rows (--max-rows)[/yellow]")
