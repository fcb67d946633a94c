"""Status lists of the Convention (the UN depositary's, the Monitor's, campaign lists): per
State its signature and ratification / accession / acceptance / approval, with dates."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.status import (
    read_status_lists,
    read_status_rows,
    read_status_sentences,
)
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_ROW_DATE = re.compile(
    r"\b[0-3]?\d\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{4}|\d{2})\b"
)
_ACTS = re.compile(r"\b(?:ratif\w*|accession|accede\w*|signator\w*|signature)\b", re.I)
_AS_OF = re.compile(r"\bAs\s+of\s+(?P<d>[^,.;\n]{6,30})", re.I)


def detect(head: str) -> int:
    """Many dated rows and the acts named (a status table), or a list of who ratified."""
    acts = len(_ACTS.findall(head))
    if len(_ROW_DATE.findall(head)) >= 8 and acts >= 2:
        return 5
    if acts >= 4 and re.search(r"(?:has|have)\s+ratified\?|ratifications\s*:", head, re.I):
        return 4
    return 0


def extract(ctx: Ctx) -> None:
    read_status_rows(ctx)
    read_status_sentences(ctx)
    read_status_lists(ctx)
    _document_date(ctx)


def _document_date(ctx: Ctx) -> None:
    """The list's date: 'As of <date>', else a full date standing alone on an early line."""
    head = ctx.ct.clean[:1500]
    m = _AS_OF.search(head)
    candidates = md.find_dates(m.group("d")) if m else []
    if not candidates:
        for p in ctx.paras[:6]:
            dates = md.find_dates(p.text)
            if len(dates) == 1 and len(p.text.strip()) <= len(dates[0].text) + 12:
                candidates = dates
                break
    for d in candidates:
        if d.date and not d.inferred:
            ctx.ex.document.date = d.date
            return


FAMILY = Family("depositary-status", CCM.DepositaryStatusList, detect, extract, priority=5)
