"""`ccmkg sparql 'QUERY'` or `ccmkg sparql -f file.rq`: an ad-hoc query against either store.

The query passes the same guard as /sparql (size, nesting, updates refused, SERVICE only to
the allow-list of the settings) before the store sees it. SELECT prints rows (table on a
terminal, TSV when piped, or --format csv/tsv/json); ASK prints true or false; CONSTRUCT and
DESCRIBE print Turtle (JSON-LD with --format json).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.cli.output import Format, print_rows
from ccmkg.errors import BadParameter, CcmKgError
from ccmkg.model.namespaces import PREFIXES
from ccmkg.settings import Settings
from ccmkg.sparql_guard import check_query_within

NAME = "sparql"
HELP = (
    "Run a SPARQL query (text, or -f FILE, or - for stdin) against the store: --store PATH or "
    "--store http://HOST:PORT/sparql. SELECT as table/CSV/TSV/JSON, ASK as true/false, "
    "CONSTRUCT/DESCRIBE as Turtle. The project's prefixes (ccm:, dcterms:, prov:, …) are "
    "declared for you when the query uses them without a PREFIX line."
)


def with_prefixes(query: str) -> str:
    """The query with a PREFIX line for each project prefix it uses but does not declare."""
    missing = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in PREFIXES.items()
        if re.search(rf"(?<![\w:/.#<-]){name}:", query)
        and not re.search(rf"PREFIX\s+{name}:", query, re.IGNORECASE)
    ]
    return "\n".join([*missing, query]) if missing else query


def read_query(text: str | None, file: Path | None) -> str:
    """The query from the argument, from `-f FILE`, or from stdin (`-`); exactly one.

    Raises:
        BadParameter: none or both given, or the file cannot be read.
    """
    if (text is None) == (file is None):
        raise BadParameter(
            "Give the query as an argument or with -f FILE (one of the two).",
            hint="e.g. ccmkg sparql 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'",
        )
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadParameter(
                f"Cannot read {file}: {exc}", hint="Give a UTF-8 .rq file."
            ) from None
    if text == "-":
        return typer.get_text_stream("stdin").read()
    return text or ""


def guard(query: str, settings: Settings) -> str:
    """The query form, once the query passed the checks /sparql applies."""
    info = check_query_within(query, settings)
    return info.form.upper()


def run(
    query: Annotated[
        str | None, typer.Argument(help="The query text ('-' reads it from stdin).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from this file.")
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", help="Output of a SELECT (a table is TSV when piped)."),
    ] = Format.table,
    max_rows: Annotated[int | None, typer.Option("--max-rows", help="Row cap.")] = None,
    store: StoreOption = None,
) -> None:
    settings = settings_for(store)
    try:
        text = with_prefixes(read_query(query, file))
        form = guard(text, settings)
        from ccmkg.store import open_store

        opened = open_store(settings)
        try:
            if form == "SELECT":
                rows = opened.select(
                    text,
                    max_rows=max_rows or settings.max_result_rows,
                    timeout_s=settings.query_timeout_s,
                )
            elif form == "ASK":
                answer = opened.ask(text)
            else:
                graph = opened.construct(text)
        finally:
            opened.close()
    except CcmKgError as exc:
        console.print(f"[red]{exc.message}[/red]", highlight=False)
        if exc.hint:
            console.print(exc.hint, highlight=False)
        raise typer.Exit(2) from None

    if form == "SELECT":
        print_rows(rows, fmt)
        if rows.truncated:
            console.print(f"[yellow]truncated at {len(rows.rows)} rows (--max-rows)[/yellow]")
    elif form == "ASK":
        typer.echo(json.dumps({"boolean": answer}) if fmt is Format.json else str(answer).lower())
    else:
        typer.echo(graph.serialize(format="json-ld" if fmt is Format.json else "turtle"))
