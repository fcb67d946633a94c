"""Composition lists of the Coordination Committee and thematic coordination pages: who holds
which post (table rows with mandate periods, 'Label State and State'), and activity logs whose
entries name the coordinators in running text."""

from __future__ import annotations

import re

from ccmkg.loaders.readers.composition import read_composition_table
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.holdings import read_sentence_holdings
from ccmkg.loaders.readers.presidency import settle_presidencies
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM

_COMPOSITION = re.compile(r"\bcomposition\b|\bcomposed\s+of\b|\bcomprised\s+of\b", re.I)
_COMMITTEE = re.compile(r"coordinat(?:ion|ing)\s+committee|thematic\s+coordination", re.I)
_LOG = re.compile(
    r"(?:activities|initiatives)\s+(?:and\s+initiatives\s+)?implemented\s+by\s+"
    r"(?:(?:the|past|and|present|CCM)\s+)*Coordinators?\b",
    re.I,
)


def detect(head: str) -> int:
    """A composition of the Committee, or a thematic area's log of its coordinators' work."""
    if _LOG.search(head):
        return 4
    if _COMPOSITION.search(head) and _COMMITTEE.search(head) and "minutes" not in head.lower():
        return 4
    return 0


def extract(ctx: Ctx) -> None:
    read_composition_table(ctx)
    read_sentence_holdings(ctx)
    settle_presidencies(ctx)
    read_working_groups(ctx)


FAMILY = Family("composition-list", CCM.CompositionList, detect, extract, priority=8)
