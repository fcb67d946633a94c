"""`ccmkg serve`: the API under uvicorn; an empty embedded store first gets the bundled corpus
and the reference data (reference/*.csv, with the rules derived from it).

Exit codes: 0 stopped normally; 3 the store could not be opened or the first load failed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from ccmkg import resources
from ccmkg.cli.common import StoreOption, console, settings_for
from ccmkg.errors import CcmKgError
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store

NAME = "serve"
HELP = "Serve the REST API, /sparql and the web page (loads the corpus into an empty store)."

log = logging.getLogger(__name__)


def corpus_paths(settings: Settings) -> list[Path]:
    """The documents loaded into an empty store: CCMKG_CORPUS_DIR, else the bundled corpus."""
    if settings.corpus_dir is not None:
        return [settings.corpus_dir]
    return resources.corpus_files()


def load_if_empty(store: Store, settings: Settings) -> bool:
    """Load the corpus and the reference data when an embedded store holds nothing; True if it
    loaded something.

    A remote store is never written here: its operator decides what it holds.

    Raises:
        CcmKgError: the load failed (the store keeps whatever was committed before).
    """
    if store.kind != "embedded" or store.triple_count() > 0:
        return False
    try:
        from ccmkg.loaders.pipeline import (
            load_paths,  # lazily: the API must not import ccmkg.loaders
        )
    except ImportError as exc:
        log.error("the store is empty and loaders.pipeline is unavailable (%s); serving empty", exc)
        console.print(f"[yellow]empty store, corpus not loaded: {exc}[/yellow]")
        return False
    paths = corpus_paths(settings)
    console.print(f"empty store: loading {len(paths)} corpus path(s) into {settings.store} …")
    report = load_paths(store, settings, paths)
    console.print(
        f"loaded {len(report.documents)} document(s), {report.triples} triples"
        + ("" if report.ok else f"; {len(report.rejected)} rejected")
    )
    from ccmkg.loaders.reference.load import load_reference

    ref = load_reference(store, settings)
    from ccmkg.links import load_links

    links = load_links(store, settings)
    console.print(
        f"loaded the reference data: {ref.graphs} source graph(s), {ref.triples} triples, "
        f"{len(ref.conflicts)} conflict(s), {sum(ref.derived.derived.values())} derived, "
        f"{links} Wikidata link(s)"
    )
    return True


def run(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
) -> None:
    from ccmkg.api.main import create_app
    from ccmkg.api.serving import serve

    settings = settings_for(store)
    updates = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = settings.model_copy(update=updates)
    try:
        the_store = open_store(settings)
        load_if_empty(the_store, settings)
    except CcmKgError as exc:
        console.print(f"[red]cannot serve from {settings.store}:[/red] {exc.message}")
        raise typer.Exit(3) from exc
    try:
        url = f"http://{settings.host}:{settings.port}"
        console.print(f"serving on {url} (store: {the_store.kind})")
        serve(create_app(settings, the_store), settings)  # with the connection timeouts
    finally:
        the_store.close()
