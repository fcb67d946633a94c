"""One extractor per document family, in a registry dict (family -> extract function)."""

from __future__ import annotations

from collections.abc import Callable

from ccmkg.loaders.families import cc_minutes, fop_minutes, generic, working_paper
from ccmkg.loaders.families.common import Ctx
from ccmkg.loaders.records import DocumentFamily

Extractor = Callable[[Ctx], None]

EXTRACTORS: dict[DocumentFamily, Extractor] = {
    "coordination-committee-minutes": cc_minutes.extract,
    "friends-of-the-president-minutes": fop_minutes.extract,
    "working-paper": working_paper.extract,
    "unknown": generic.extract,
}
