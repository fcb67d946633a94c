"""The reading half of the loader: one file's bytes -> an Extraction of typed records.

`extract_document` never raises on odd text: what it cannot read becomes an Issue. It raises
`InputError` only when the bytes are not text (not UTF-8, UTF-16 with BOM, or cp1252).
Passages are spans of the decoded ORIGINAL text (`quote == text[start:end]`).
"""

from __future__ import annotations

import hashlib
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


def extract_document(path: Path, raw: bytes, registry: Registry | None = None) -> Extraction:
    """Read one document with the family `registry` detects (the package's by default).

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
    quarantine(ex)  # the guardrail: no fact rests on a name the gazetteer did not resolve
    return ex
