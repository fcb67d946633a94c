"""`ccmkg load [PATH...] [--reference]`: documents (files or folders) into the store, one named
graph each; with --reference, also the reference data (reference/*.csv, one graph per source
page), after which the derivation rules run again. Documents alone never add reference data;
when the store already holds reference data, loading documents re-runs the rules too.

Exit codes: 0 every document loaded; 1 data rejected (reasons printed); 2 a file cannot be
read (named; nothing written); 3 the store failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.errors import CcmKgError

if TYPE_CHECKING:
    from ccmkg.loaders.reference.load import ReferenceReport
    from ccmkg.loaders.report import LoadReport

NAME = "load"
HELP = "Load documents (files or folders) into the store, one named graph each."

MAX_LISTED = 30  # findings listed per section; the count is always complete


def run(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents, or folders of documents (*.txt).")
    ] = None,
    store: StoreOption = None,
    reference: Annotated[
        bool,
        typer.Option(
            "--reference", help="Also load the reference data (calendar, States, deadlines)."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead of tables.")
    ] = False,
    batch: Annotated[
        int | None,
        typer.Option(
            "--batch",
            min=1,
            help="New documents written per all-or-nothing batch (default CCMKG_LOAD_BATCH, "
            "100; 1: one write per document). Progress is printed as each batch commits.",
        ),
    ] = None,
) -> None:
    from ccmkg.links import load_links
    from ccmkg.loaders.checking import default_validator
    from ccmkg.loaders.pipeline import UnreadableFile, load_paths
    from ccmkg.loaders.reference.load import load_reference
    from ccmkg.loaders.report import LoadReport
    from ccmkg.rules import rederive_if_reference
    from ccmkg.store import open_store

    if not paths and not reference:
        console.print("[red]nothing to load:[/red] give documents, or --reference, or both.")
        raise typer.Exit(2)
    settings = settings_for(store)
    try:
        the_store = open_store(settings)
    except CcmKgError as exc:
        console.print(f"[red]cannot open the store {settings.store}:[/red] {exc.message}")
        raise typer.Exit(3) from exc
    try:
        with Progress(
            TextColumn("[bold]loading[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def progress(path: Path, done: int, total: int) -> None:
                bar.update(task, total=total, completed=done, description=path.name)
                if not console.is_terminal:  # no live bar in a log: one line per document
                    console.print(f"{done}/{total} {path.name}", highlight=False)

            report = (
                load_paths(the_store, settings, paths, progress, batch=batch)
                if paths
                else LoadReport()
            )
        ref = load_reference(the_store, settings) if reference else None
        links = load_links(the_store, settings) if reference else None
        if ref is None and paths:
            rederive_if_reference(the_store, settings.base_iri, default_validator())
    except UnreadableFile as exc:
        console.print(f"[red]{exc.message}[/red] — nothing was written. {exc.hint}")
        raise typer.Exit(2) from exc
    except CcmKgError as exc:
        console.print(f"[red]store error:[/red] {exc.message}")
        raise typer.Exit(3) from exc
    finally:
        the_store.close()

    if as_json:
        out = report.as_dict()
        if ref is not None:
            out["reference"] = ref.as_dict()
            out["links"] = links
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        if paths:
            _print_summary(report, Console())
        if ref is not None:
            _print_reference(ref, Console())
        if links is not None:
            Console().print(f"links: {links} State(s) owl:sameAs their Wikidata item")
    if not report.ok or (ref is not None and not ref.ok):
        raise typer.Exit(1)


def _print_reference(ref: ReferenceReport, out: Console) -> None:
    table = Table(title="Reference data", show_header=False)
    table.add_row("rows read", str(ref.rows))
    table.add_row("source graphs written", str(ref.graphs))
    table.add_row("triples written", str(ref.triples))
    table.add_row("facts", str(sum(ref.facts.values())))
    table.add_row("conflicts (both claims kept)", str(len(ref.conflicts)))
    table.add_row("derived statements", str(sum(ref.derived.derived.values())))
    out.print(table)
    for line in ref.conflicts[:MAX_LISTED]:
        out.print(f"[magenta]conflict[/magenta] {line}")
    for line in ref.problems[:MAX_LISTED]:
        out.print(f"[yellow]skipped[/yellow] {line}")
    for iri, details in {**ref.rejected, **ref.derived.rejected}.items():
        out.print(f"[red]rejected[/red] {iri}")
        for d in details:
            out.print(f"    {d}")


def _print_summary(report: LoadReport, out: Console) -> None:
    """Tables: documents, facts by kind, then the findings a data steward should look at."""
    statuses = {
        s: sum(d.status == s for d in report.documents) for s in ("new", "updated", "reloaded")
    }
    summary = Table(title="Load summary", show_header=False)
    summary.add_row("documents loaded", str(len(report.documents)))
    summary.add_row("  new / updated / reloaded", " / ".join(str(v) for v in statuses.values()))
    summary.add_row("documents rejected", str(len(report.rejected)))
    summary.add_row("triples written", str(report.triples))
    summary.add_row("facts", str(sum(report.facts.values())))
    summary.add_row("unresolved names", str(len(report.unresolved)))
    summary.add_row("conflicts", str(len(report.conflicts)))
    summary.add_row("warnings", str(len(report.warnings)))
    summary.add_row("persons merged / kept apart for review", _persons(report))
    out.print(summary)

    if report.facts:
        facts = Table(title="Facts by kind")
        facts.add_column("kind")
        facts.add_column("count", justify="right")
        for kind, count in sorted(report.facts.items()):
            facts.add_row(kind, str(count))
        out.print(facts)

    for title, findings, style in (
        ("Review: names not turned into actors (GET /review)", report.unresolved, "yellow"),
        ("Conflicts (both claims kept)", report.conflicts, "magenta"),
        ("Warnings", report.warnings, "dim"),
        ("Persons: spellings merged or kept apart (with why)", report.persons, "cyan"),
    ):
        if not findings:
            continue
        table = Table(title=title, title_style=style)
        table.add_column("file")
        table.add_column("offset", justify="right")
        table.add_column("finding")
        for f in findings[:MAX_LISTED]:
            table.add_row(f.file_name, "" if f.start is None else str(f.start), f.message)
        if len(findings) > MAX_LISTED:
            table.add_row("…", "", f"{len(findings) - MAX_LISTED} more")
        out.print(table)

    for r in report.rejected:
        out.print(f"[red]rejected[/red] {r.path}: {r.reason}")
        for line in r.details:
            out.print(f"    {line}")


def _persons(report: LoadReport) -> str:
    """ "2 / 1": spellings merged into a known person, and pairs kept apart for review."""
    merged = sum(" merged with " in f.message for f in report.persons)
    review = sum(" kept apart from " in f.message for f in report.persons)
    return f"{merged} / {review}"
