"""Options and helpers shared by the subcommands."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ccmkg.settings import Settings

console = Console(stderr=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Embedded store directory, or http(s) URL of a SPARQL 1.1 server "
        "(default: CCMKG_STORE or ./data/store).",
    ),
]


def settings_for(store: str | None) -> Settings:
    """Settings from the environment, with --store taking precedence."""
    return Settings().with_store(store)
