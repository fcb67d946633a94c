"""The reference CSV files as rows: what one source says, with the source and the line.

Each file has `source_url` and `retrieved` columns; every other column is a fact (empty when
that source does not give it). Dates are ISO 8601, possibly partial (YYYY or YYYY-MM).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ccmkg.errors import InputError

FILES = (
    "meetings.csv",
    "designations.csv",
    "states.csv",
    "extensions.csv",
    "completions.csv",
    "obligation_scope.csv",
)
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class BadReferenceFile(InputError):
    """A reference file is missing, or lacks the columns every row needs; nothing written."""

    code = "bad-reference-file"
    status = 400


@dataclass(frozen=True)
class Row:
    """One row: `values` are the fact columns (stripped; empty columns left out)."""

    file: str
    line: int
    url: str
    retrieved: dt.date
    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str | None:
        return self.values.get(column) or None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class ReferenceData:
    """Every row of every file, and the problems met reading them (rows skipped, with why)."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def of(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def reference_dir() -> Path:
    return Path(str(files("ccmkg.reference")))


def parse_rows(name: str, text: str, data: ReferenceData) -> None:
    """Add the rows of one file's text to `data`; a row without its source is skipped."""
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    if not {"source_url", "retrieved"} <= columns:
        raise BadReferenceFile(
            f"{name}: no source_url/retrieved columns",
            hint="Every reference file names, per row, the page it was read from and when.",
        )
    rows = data.rows.setdefault(name, [])
    for line, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        url = values.pop("source_url", "")
        retrieved = values.pop("retrieved", "")
        try:
            day = dt.date.fromisoformat(retrieved)
        except ValueError:
            data.problems.append(f"{name}:{line}: retrieved {retrieved!r} is not a date; skipped")
            continue
        if not url.startswith(("http://", "https://")):
            data.problems.append(f"{name}:{line}: source_url {url!r} is not a URL; skipped")
            continue
        bad = [k for k, v in values.items() if k.endswith(("_on", "_date")) and v]
        bad = [k for k in bad if not PARTIAL_DATE.match(values[k])]
        for k in bad:
            data.problems.append(f"{name}:{line}: {k} {values[k]!r} is not an ISO date; dropped")
            values[k] = ""
        rows.append(Row(name, line, url, day, {k: v for k, v in values.items() if v}))


def read_reference(directory: Path | None = None, names: Iterable[str] = FILES) -> ReferenceData:
    """The bundled reference files (or those of `directory`).

    Raises:
        BadReferenceFile: a file is missing or lacks the source columns.
    """
    folder = directory or reference_dir()
    data = ReferenceData()
    for name in names:
        path = folder / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BadReferenceFile(f"cannot read {path}: {exc.strerror or exc}") from exc
        parse_rows(name, text, data)
    return data
