"""The reading half of the loader: one file's bytes -> an Extraction of typed records.

`extract_document` never raises on odd text: what it cannot read becomes an Issue. It raises
`InputError` only when the bytes are not text (not UTF-8, UTF-16 with BOM, or cp1252).
Passages are spans of the decoded ORIGINAL text (`quote == text[start:end]`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import traceback
from pathlib import Path

from ccmkg.errors import InputError
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.records import DocumentRecord, Extraction, Issue, Passage
from ccmkg.loaders.registry import Registry, default_registry
from ccmkg.loaders.review import quarantine
from ccmkg.loaders.text import clean


def decode(raw: bytes, name: str = "document") -> str:
    """Decode as UTF-8 (BOM tolerated), else UTF-16 with a BOM; binary data is refused.

    Raises:
        InputError: the bytes are not text.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid UTF-16 text", "save the file as UTF-8") from exc
    if b"\x00" in raw:
        raise InputError(f"{name}: binary data, not text", "give a UTF-8 text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start})", "convert the file to UTF-8"
        ) from exc


# A permalink's day: ".../2020/07/31/slug" (the blog and news-site convention).
_URL_DAY = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]\d)/(?P<d>[0-3]\d)(?:/|$)")


def url_date(url: str | None) -> dt.date | None:
    """The day a permalink URL states (/YYYY/MM/DD/), else None (a year alone is not a day)."""
    m = _URL_DAY.search(url or "")
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def extract_document(
    path: Path, raw: bytes, registry: Registry | None = None, source_url: str | None = None
) -> Extraction:
    """Read one document with the family `registry` detects (the package's by default).

    `source_url`, where the document was published, dates a document whose text states no
    date of its own when it is a permalink with a day (the date is then marked inferred).
    Never raises on odd text.

    Raises:
        InputError: the bytes are not text.
    """
    text = decode(raw, path.name)
    sha = hashlib.sha256(raw).hexdigest()
    ct = clean(text)
    family = (registry or default_registry()).detect(ct.clean)
    whole = ct.passage(0, min(len(ct.clean), 200))
    if whole.end <= whole.start:
        whole = Passage(0, len(text), text)
    doc = DocumentRecord(sha, path.name, family.name, None, None, False, whole)
    doc.family_iri = str(family.iri)
    ex = Extraction(doc)
    try:
        ctx = Ctx.build(ct, ex)
        family.extract(ctx)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        ex.issues.append(
            Issue(
                "warning", f"extractor error {type(exc).__name__}: {exc} at {tb.name}:{tb.lineno}"
            )
        )
    if ex.document.date is None and url_date(source_url) is not None:
        ex.document.date, ex.document.date_inferred = url_date(source_url), True
    quarantine(ex)  # the guardrail: no fact rests on a name the gazetteer did not resolve
    return ex
