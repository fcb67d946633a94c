"""`ccmkg validate FILE...`: check files against the shapes before they go anywhere.

Exit status: 0 conforms, 1 violations, 2 unreadable input (the message names the file, line
and column). With --store, the files are checked together with what that store already holds
about the IRIs they mention, as POST /validate does. With --store and no files, everything
the store holds is checked in place (the `sparql` engine: the shapes as queries on the store).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rdflib import Graph
from rich.console import Console
from rich.markup import escape

from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.errors import CcmKgError
from ccmkg.rdf_input import ParsedRdf, format_for_path, parse_file
from ccmkg.validation import PACKAGE_ENGINE, Report, Validator, package_validator

NAME = "validate"
HELP = "Check RDF files against the SHACL shapes (exit 0 conforms, 1 violations, 2 unreadable)."

EXIT_CONFORMS, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2


class Output(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Syntax of the files: turtle, ntriples, nquads, trig, jsonld "
        "(default: from each file's extension).",
    ),
]
EngineOption = Annotated[
    str, typer.Option("--engine", help="SHACL engine: auto, shacl or pyshacl.")
]


def read_files(files: list[Path], fmt: str | None) -> tuple[list[ParsedRdf], list[CcmKgError]]:
    """Parse every file, collecting the errors rather than stopping at the first."""
    parsed, errors = [], []
    for path in files:
        try:
            parsed.append(parse_file(path, format_for_path(path, fmt)))
        except CcmKgError as exc:
            errors.append(exc)
    return parsed, errors


def merge(parsed: list[ParsedRdf]) -> ParsedRdf:
    """Several files validated as one data graph (a holding in one, its State in another)."""
    if len(parsed) == 1:
        return parsed[0]
    graph = Graph()
    for p in parsed:
        graph += p.graph
    text = "".join(p.ntriples for p in parsed)
    return ParsedRdf(graph=graph, ntriples=text, source="+".join(p.source for p in parsed),
                     format=parsed[0].format)  # fmt: skip


def print_errors(errors: list[CcmKgError]) -> None:
    for exc in errors:
        console.print(f"[bold red]unreadable[/bold red] {escape(exc.message)}")
        if exc.hint:
            console.print(f"  [dim]{escape(exc.hint)}[/dim]")


def _short(iri: str | None, prefixes: list[tuple[str, str]]) -> str:
    if iri is None:
        return "—"
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def print_text(report: Report, validator: Validator, sources: str, triples: int) -> None:
    """A report a data steward can act on: what, where, why, per result, worst first."""
    out = Console(highlight=False)
    prefixes = sorted(
        ((p, str(ns)) for p, ns in validator.shapes.namespaces() if p),
        key=lambda pn: -len(pn[1]),
    )
    counts = report.counts
    verdict = (
        "[bold green]conforms[/bold green]"
        if report.conforms
        else "[bold red]does not conform[/bold red]"
    )
    out.print(
        f"{escape(sources)}: {triples} triples — {verdict} "
        f"({counts['Violation']} violations, {counts['Warning']} warnings, "
        f"{counts['Info']} infos; engine {report.engine})"
    )
    colour = {"Violation": "red", "Warning": "yellow", "Info": "blue"}
    for r in report.results:
        out.print(
            f"\n[{colour[r.severity]}]{r.severity}[/{colour[r.severity]}] "
            f"[bold]{escape(_short(r.focus, prefixes))}[/bold]: {escape(r.message)}"
        )
        out.print(f"  path  {escape(_short(r.path, prefixes))}")
        if r.value is not None:
            out.print(f"  value {escape(_short(r.value, prefixes))}")
        out.print(
            f"  shape {escape(_short(r.shape, prefixes))} "
            f"[dim]({r.component.removesuffix('ConstraintComponent')})[/dim]"
        )


def emit(report: Report, output: Output, validator: Validator, parsed: ParsedRdf) -> None:
    if output is Output.json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif output is Output.turtle:
        typer.echo(report.turtle)
    else:
        print_text(report, validator, parsed.source, len(parsed.graph))


def run(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files to check, validated together (none: the whole --store)."),
    ] = None,
    fmt: FormatOption = None,
    output: Annotated[
        Output, typer.Option("--output", "-o", help="text, json, or turtle (sh:ValidationReport).")
    ] = Output.text,
    engine: EngineOption = "auto",
    shapes: Annotated[
        list[Path] | None,
        typer.Option("--shapes", help="Shape files to use instead of the packaged shapes/."),
    ] = None,
    store: StoreOption = None,
) -> None:
    if not files:
        if store is None:
            console.print("[bold red]nothing to check[/bold red]: give RDF files, or --store")
            raise typer.Exit(EXIT_UNREADABLE)
        validate_whole_store(store, shapes, output)
    parsed, errors = read_files(files, fmt)
    if errors:
        print_errors(errors)
        raise typer.Exit(EXIT_UNREADABLE)
    data = merge(parsed)
    if shapes:
        from ccmkg.resources import ontology_file

        onto = ontology_file()
        validator = Validator.from_files(shapes, onto if onto.exists() else None, engine)
    else:
        # The packaged shapes have a proven engine; "auto" is for shapes we have not checked.
        validator = package_validator(PACKAGE_ENGINE if engine == "auto" else engine)
    if store is None:
        report = validator.validate(data)
    else:
        from ccmkg.store import open_store

        opened = open_store(settings_for(store))
        try:
            report = validator.validate_upload(data, opened)
        finally:
            opened.close()
    emit(report, output, validator, data)
    raise typer.Exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)


def validate_whole_store(store: str, shapes: list[Path] | None, output: Output) -> NoReturn:
    """Everything the store holds against the shapes, in place; exits with the verdict."""
    from ccmkg.store import open_store

    if shapes:
        from ccmkg.resources import ontology_file

        onto = ontology_file()
        validator = Validator.from_files(shapes, onto if onto.exists() else None, "sparql")
    else:
        validator = package_validator("sparql")
    opened = open_store(settings_for(store))
    try:
        try:
            report = validator.validate_store(opened)
        except ValueError as exc:  # shapes the compiler does not take
            console.print(f"[bold red]cannot check a store with these shapes[/bold red]: {exc}")
            raise typer.Exit(EXIT_UNREADABLE) from None
        triples = opened.triple_count() if output is Output.text else 0
    finally:
        opened.close()
    if output is Output.json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif output is Output.turtle:
        typer.echo(report.turtle)
    else:
        print_text(report, validator, f"store {store}", triples)
    raise typer.Exit(EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS)
