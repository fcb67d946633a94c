"""Pages on Article 3, 4 and 7 obligations: which States have overdue reports, which requested
extensions (listed under 'Article N: …' headings), which declared completion, and when; and
the presidency that announces it."""

from __future__ import annotations

import re

from ccmkg.loaders.readers import holdings, presidency
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.duties import read_article_lists, read_duty_sentences, read_overdue_lists
from ccmkg.loaders.readers.obligations import read_aggregates
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_ARTICLE = re.compile(r"\bArticles?\s+[347]\b")
_CUES = re.compile(
    r"overdue|extension\s+requests?|complet(?:ed|ion)\s+(?:of\s+)?(?:the\s+)?(?:destruction|clearance)"
    r"|compl(?:y|ies)\s+with|transparency\s+reports?",
    re.I,
)


# A photo credit above the title ("Photo by …", "Photo: …", "Photo credit: …") is not the title.
_CREDIT = re.compile(r"^Photo(?:\s+credit)?\s*(?:by\b|:)", re.I)


def detect(head: str) -> int:
    """An obligation article named, with a status cue (overdue, extension, completion)."""
    if re.search(r"\bminutes\b", head, re.I) or not _ARTICLE.search(head):
        return 0
    return 3 if _CUES.search(head) else 0


def extract(ctx: Ctx) -> None:
    lines = [p for p in ctx.paras if p.text.strip() and not _CREDIT.match(p.text.strip())]
    if lines and len(lines[0].text) < 120:
        ctx.ex.document.title = " ".join(lines[0].text.split())
        ctx.ex.document.passage = ctx.para_passage(lines[0])
    read_overdue_lists(ctx)
    read_article_lists(ctx)
    read_duty_sentences(ctx)
    read_aggregates(ctx)
    read_working_groups(ctx)
    # Completions are announced by the presidency ("The Presidency of the CCM, X, is pleased…").
    presidency.read_presidency_sentences(ctx)
    holdings.read_sentence_holdings(ctx)
    presidency.settle_presidencies(ctx)


FAMILY = Family("obligation-status", CCM.ObligationStatusPage, detect, extract, priority=7)
