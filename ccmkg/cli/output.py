"""Query answers on stdout: a table on a terminal, CSV, TSV or JSON; never cut when piped.

A rich table is as wide as the terminal, so piped into a file it would be cut at 80 columns;
when stdout is not a terminal the `table` format prints TSV instead (every cell, whole).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.console import Console
from rich.table import Table

from ccmkg.catalogue import to_csv, to_records
from ccmkg.store.base import Rows


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def to_tsv(rows: Rows) -> str:
    """Tab-separated, header first; tabs and line breaks inside a cell become spaces."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")

    lines = ["\t".join(rows.variables)]
    for record in to_records(rows):
        lines.append("\t".join(cell(record[v]) for v in rows.variables))
    return "\n".join(lines) + "\n"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def print_rows(rows: Rows, fmt: Format) -> None:
    """`rows` in `fmt`; a table only on a terminal (TSV when piped, so nothing is cut)."""
    if fmt is Format.table and not stdout_is_terminal():
        fmt = Format.tsv
    if fmt is Format.json:
        typer.echo(json.dumps(to_records(rows), ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        typer.echo(to_csv(rows), nl=False)
    elif fmt is Format.tsv:
        typer.echo(to_tsv(rows), nl=False)
    else:
        table = Table(*rows.variables, show_lines=False)
        for record in to_records(rows):
            table.add_row(*("" if record[v] is None else str(record[v]) for v in rows.variables))
        Console(soft_wrap=True).print(table)
