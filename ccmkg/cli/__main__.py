"""`python -m ccmkg.cli` runs the command line (the `ccmkg` console script)."""

from ccmkg.cli import app

app()
