"""News items about the Convention: a State's ratification or accession, a completed
obligation, a presidency's welcome, a meeting's outcome. Short prose with a dateline; no
list or table of its own, so only the sentence readers run (acts, duties, presidencies,
meetings), each keeping the date the sentence gives its fact, never the item's date."""

from __future__ import annotations

import re

from ccmkg.loaders import metadata as md
from ccmkg.loaders.readers.calendar import read_calendar
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.duties import read_duty_sentences
from ccmkg.loaders.readers.holdings import read_sentence_holdings
from ccmkg.loaders.readers.obligations import read_aggregates
from ccmkg.loaders.readers.presidency import read_presidency_sentences, settle_presidencies
from ccmkg.loaders.readers.status import read_status_sentences
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_CONVENTION = re.compile(
    r"Convention\s+on\s+Cluster\s+Munitions|\bCCM\b|cluster\s+bomb\s+ban", re.I
)
_NEWS = re.compile(
    r"\bdeposit(?:ed|s|ing)?\s+its\s+instrument|\bratif(?:ied|ies|ication)\b|\bacce(?:ded|des|de|ssion)\b"
    r"|\bcongratulat\w*|\bwelcomes?\b|\bpleased\s+to\s+announce|\bcomplet(?:ed|es)\s+the\s+destruction"
    r"|\bfinished\s+destroying|\bdeclared\s+fulfil+ment",
    re.I,
)
# "(Vientiane) -", "(London, 30 June 2011) -", "(Lusaka, Zambia: 13 September 2013):"
_DATELINE = re.compile(r"\(\s*[A-Z][\w .'’-]{1,40}(?:[,:][^()\n]{0,40})?\)\s*[-–—:]\s")


def detect(head: str) -> int:
    """The Convention named, with a news verb or a dateline (a '(City, date) -' one, or a full
    date standing alone on one of the first lines, as news pages print it): 2 (a page of any
    more specific family scores higher)."""
    if not _CONVENTION.search(head) or re.search(r"\bminutes\b", head, re.I):
        return 0
    return 2 if _NEWS.search(head) or _DATELINE.search(head) or _date_line(head) else 0


def _date_line(head: str, lines: int = 6) -> bool:
    """A full date alone on one of the first non-empty lines ("Sep 17, 2013", "12 May 2031")."""
    firsts = [line.strip() for line in head.split("\n") if line.strip()][:lines]
    for line in firsts:
        dates = md.find_dates(line)
        d = dates[0] if len(dates) == 1 else None
        if d is not None and d.date and not d.inferred and len(line) <= len(d.text) + 2:
            return True
    return False


def extract(ctx: Ctx) -> None:
    _dateline(ctx)
    read_status_sentences(ctx)
    read_presidency_sentences(ctx)
    read_sentence_holdings(ctx)
    settle_presidencies(ctx)
    read_duty_sentences(ctx)
    read_calendar(ctx)
    read_aggregates(ctx)
    read_working_groups(ctx)


def _dateline(ctx: Ctx) -> None:
    """The item's date: a full date alone on one of its first lines, else the date inside
    its '(City, <date>) -' dateline."""
    for p in ctx.paras[:3]:
        dates = md.find_dates(p.text)
        if len(dates) == 1 and dates[0].date and len(p.text.strip()) <= len(dates[0].text) + 2:
            ctx.ex.document.date = dates[0].date
            return
    m = _DATELINE.search(ctx.ct.clean[:1500])
    if m:
        dates = [d for d in md.find_dates(m.group(0)) if d.date and not d.inferred]
        if dates:
            ctx.ex.document.date = dates[0].date


FAMILY = Family("news-item", CCM.NewsItem, detect, extract, priority=4)
