"""Documents of the record: the list, one document, and its full text with a passage marked.

The store keeps each document's file name and SHA-256, not its text (third-party text stays
out of the graph and the repository). The text is read from the file whose bytes have that
checksum, searched in `Settings.document_dirs` and the bundled corpus; a file that is not
found is a 404 that says where to put it, never a text from elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ccmkg.api.rest.docmodels import Document, DocumentText, Highlight
from ccmkg.api.rest.listing import Listing
from ccmkg.api.rest.models import text_url
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, day, local_name, text
from ccmkg.errors import BadParameter, NotFound
from ccmkg.model.iri import IriScheme
from ccmkg.resources import corpus_dir

SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")
PASSAGE = re.compile(r"^(\d{1,9})-(\d{1,9})$")


def _kebab(iri: str | None) -> str | None:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local_name(iri)).lower() if iri else None


def _build(row: Row) -> dict[str, Any]:
    iri = text(row, "doc") or ""
    return {
        "id": local_name(iri),
        "iri": iri,
        "title": text(row, "title"),
        "date": day(row, "date"),
        "family": _kebab(text(row, "family")),
        "file_name": text(row, "fileName"),
        "sha256": text(row, "sha256"),
        "text_url": text_url(iri) or "",
    }


def documents(queries: Queries) -> Listing[Document]:
    """Every document of the record, in date order."""
    rows = queries.run("api_documents")
    seen: dict[str, Document] = {}
    for row in rows.rows:
        item = _build(row)
        seen.setdefault(item["iri"], Document.model_validate(item))
    return Listing(list(seen.values()), rows)


def document(queries: Queries, key: str) -> Document:
    """One document by the last segment of its IRI.

    Raises:
        BadParameter: not an IRI segment.  NotFound: no such document.
    """
    key = IriScheme(queries.base_iri).key("document", key) or key  # the IRI is fine too
    if not SEGMENT.match(key):
        raise BadParameter(f"{key!r} is not a document id.", "Use the last segment of its IRI.")
    iri = str(IriScheme(queries.base_iri).mint("document", key=key))
    rows = queries.run("api_documents", {"doc": iri})
    if not rows.rows:
        raise NotFound(f"No document {key!r}.", "GET /documents lists the documents.")
    return Document.model_validate(_build(rows.rows[0]))


def parse_passage(value: str | None) -> tuple[int, int] | None:
    """`start-end` (Unicode code points, as in every source's `start`/`end`), or None."""
    if not value:
        return None
    match = PASSAGE.match(value.strip())
    if match is None or int(match.group(1)) > int(match.group(2)):
        raise BadParameter(
            f"passage={value!r} is not start-end.",
            "Give the passage as two offsets, start-end, e.g. passage=50-91 (a source's "
            "start and end; its text_url has them).",
        )
    return int(match.group(1)), int(match.group(2))


def document_text(queries: Queries, key: str, passage: tuple[int, int] | None) -> DocumentText:
    """The document's text as the loader read it, with `passage` (start, end) if asked.

    Raises:
        NotFound: no such document, or its file is not in any folder searched.
        BadParameter: the passage falls outside the text.
    """
    doc = document(queries, key)
    folders = [*queries.settings.document_dirs, corpus_dir()]
    path = find_file(doc.file_name or "", doc.sha256 or "", tuple(folders))
    if path is None:
        raise NotFound(
            f"The text of document {key!r} ({doc.file_name}) is not available on this server.",
            "Its file is matched by SHA-256: put it in a folder named by CCMKG_DOCUMENT_DIRS.",
        )
    body = decode(path.read_bytes())
    mark = None
    if passage is not None:
        start, end = passage
        if end > len(body):
            raise BadParameter(
                f"passage={start}-{end} lies outside the text ({len(body)} characters).",
                "Use the start and end of one of this document's sources.",
            )
        mark = Highlight(start=start, end=end, quote=body[start:end])
    return DocumentText(**doc.model_dump(), text=body, passage=mark)


def decode(raw: bytes) -> str:
    """The text the loader read: UTF-16 with a BOM, else UTF-8 (BOM dropped). The file was
    matched by checksum to a document the loader decoded, so it decodes the same way."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


_FOUND: dict[tuple[str, str, tuple[Path, ...]], Path] = {}


def find_file(name: str, sha256: str, folders: tuple[Path, ...]) -> Path | None:
    """The file called `name` under one of `folders` whose bytes have `sha256`, or None.
    Found files are remembered (still checked to exist); a miss is looked for again."""
    key = (name, sha256, folders)
    if key in _FOUND and _FOUND[key].is_file():
        return _FOUND[key]
    if not name or not sha256 or "/" in name or "\\" in name:
        return None
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(name)):
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
                _FOUND[key] = path
                return path
    return None
