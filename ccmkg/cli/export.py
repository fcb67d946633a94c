"""`ccmkg export`: the whole dataset, named graphs and VoID description included, to a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.errors import CcmKgError
from ccmkg.export import FORMATS, export
from ccmkg.store import open_store

NAME = "export"
HELP = (
    "Export the whole dataset (named graphs kept, with its VoID/DCAT description) as "
    "N-Quads, TriG, Turtle (union of the graphs), JSON-LD or CSV (one row per quad)."
)


def run(
    out: Annotated[Path, typer.Argument(help="File to write, or '-' for standard output.")],
    format: Annotated[
        str,
        typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}."),
    ] = "nq",
    store: StoreOption = None,
) -> None:
    if format not in FORMATS:
        console.print(f"[red]unknown format {format!r}[/red]; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = settings_for(store)
    try:
        st = open_store(settings)
    except CcmKgError as exc:
        console.print(f"[red]{exc.message}[/red] {exc.hint}")
        raise typer.Exit(1) from exc
    try:
        if str(out) == "-":
            export(st, settings.base_iri, format, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            # Write beside the target and rename, so a failed export leaves no half file.
            tmp = out.with_name(out.name + ".part")
            try:
                with tmp.open("wb") as fh:
                    export(st, settings.base_iri, format, fh)
                tmp.replace(out)
            finally:
                tmp.unlink(missing_ok=True)
            graphs = st.graphs()
            console.print(
                f"wrote {out} ({FORMATS[format].media_type}): {len(graphs)} named graphs, "
                f"{sum(graphs.values())} triples, plus the VoID description"
            )
    except CcmKgError as exc:
        console.print(f"[red]{exc.message}[/red] {exc.hint}")
        raise typer.Exit(1) from exc
    finally:
        st.close()
