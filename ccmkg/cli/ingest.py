"""`ccmkg ingest FILE --note "…"`: validate a file and add it to the store as a new graph.

The operator's path to the same gate as POST /ingest (no token: whoever runs this already
holds the store). Exit status: 0 written, 1 violations (nothing written), 2 unreadable.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.cli.validate import (
    EXIT_UNREADABLE,
    EXIT_VIOLATIONS,
    EngineOption,
    FormatOption,
    Output,
    emit,
    print_errors,
)
from ccmkg.errors import CcmKgError, InputError, NotConformant
from ccmkg.ingest import ingest, rederive
from ccmkg.rdf_input import check_size, format_for_path, parse_rdf
from ccmkg.store import open_store
from ccmkg.validation import Report, package_validator

NAME = "ingest"
HELP = "Validate an RDF file and, if it conforms, store it as a new named graph with provenance."


def run(
    file: Annotated[Path, typer.Argument(help="The RDF file to add.")],
    note: Annotated[str, typer.Option("--note", help="Why and from where this data comes.")],
    submitter: Annotated[
        str | None, typer.Option("--submitter", help="Who submits it (default: your login).")
    ] = None,
    fmt: FormatOption = None,
    engine: EngineOption = "auto",
    store: StoreOption = None,
) -> None:
    settings = settings_for(store)
    try:
        fmt_ = format_for_path(file, fmt)
        check_size(file.stat().st_size, settings.max_upload_bytes)
        body = file.read_bytes()  # read once: the checksum is of exactly what was parsed
        parsed = parse_rdf(body, fmt_, source=str(file), timeout_s=settings.parse_timeout_s)
    except OSError as exc:
        print_errors([InputError(f"{file}: cannot read: {exc.strerror}")])
        raise typer.Exit(EXIT_UNREADABLE) from None
    except CcmKgError as exc:
        print_errors([exc])
        raise typer.Exit(EXIT_UNREADABLE) from None
    validator = package_validator(engine)
    opened = open_store(settings)
    try:
        try:
            sub, _ = ingest(
                settings, opened, validator, parsed, body,
                submitter=submitter or getpass.getuser(), note=note,
            )  # fmt: skip
        except NotConformant as exc:
            console.print(f"[bold red]refused[/bold red]: {exc.message}")
            assert isinstance(exc.report, Report)
            emit(exc.report, Output.text, validator, parsed)
            raise typer.Exit(EXIT_VIOLATIONS) from None
        except CcmKgError as exc:  # e.g. an upload with no triple: nothing written
            print_errors([exc])
            raise typer.Exit(EXIT_UNREADABLE) from None
        # Derived terms and deadlines follow the upload, as they follow `ccmkg load`.
        derived = rederive(settings, opened, validator)
    finally:
        opened.close()
    typer.echo(json.dumps({**sub.as_dict(), "derived": derived}, indent=2, ensure_ascii=False))
