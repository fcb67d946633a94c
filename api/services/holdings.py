"""Post holdings (coordinators, presidency roles) folded from query rows, and their periods.

A holding's term is the one a rule dated from the calendar (queries/rules/holding_terms_*.rq,
presidency_terms.rq), else the one the record states (mandate years, 1 January to
31 December), else the span of its attestations. `term_basis` says what those dates rest on:
`stated` (mandate years or the MSP/RC presided), `inferred` (the intersessional period around
a sighting) or `sighting` (only the days documents show the holder in the post); None when
there are no dates. A period filter matches a holding whose period meets it (an attestation
on the day counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from ccmkg.api.rest.params import Period
from ccmkg.api.rest.refs import overlaps
from ccmkg.api.rest.terms import Row, day, integer, text
from ccmkg.api.services.folding import add_unique, fold_rows
from ccmkg.model.vocab import vocabulary
from ccmkg.store.rdfterms import from_plain


def term_basis(kind_iri: str | None, mandate_years: bool, attested: bool) -> str | None:
    """What the dates of a holding's term rest on: the kind of the term a rule dated
    (ccm:termKind), else `stated` for mandate years, else `sighting` for attestation days;
    None when the holding has no dates at all (a designation no document or calendar dates)."""
    kind = vocabulary().term_kinds.by_iri(kind_iri or "")
    if kind is not None:
        return kind.slug
    if mandate_years:
        return "stated"
    return "sighting" if attested else None


class Held(Protocol):
    """A post holding as answered: a Coordinator or a Presidency."""

    @property
    def start(self) -> str | None: ...
    @property
    def end(self) -> str | None: ...
    @property
    def attested(self) -> Sequence[str]: ...


def fold_holdings(
    rows: Iterable[Row], build: Callable[[Row], dict[str, Any]]
) -> list[dict[str, Any]]:
    """One item per holding, with `mandate_years`, `attested` dates and `sources` collected."""

    def first(row: Row) -> dict[str, Any]:
        item = build(row)
        item.update(
            id=text(row, "holding"),
            start=day(row, "start"),
            end=day(row, "end"),
            term_kind=text(row, "termKind"),
            mandate_years=[],
            attested=[],
        )
        return item

    def more(item: dict[str, Any], row: Row) -> None:
        add_unique(item, "mandate_years", integer(row, "mandateYear"))
        add_unique(item, "attested", day(row, "attested"))

    items = fold_rows(rows, "holding", first, more)
    for item in items:
        item["mandate_years"].sort()
        item["attested"].sort()  # (fold_rows has put the sources in source_order)
        kind = item.pop("term_kind")
        item["term_basis"] = term_basis(kind, bool(item["mandate_years"]), bool(item["attested"]))
        if item["attested"]:
            item["start"] = item["start"] or item["attested"][0]
            item["end"] = item["end"] or item["attested"][-1]
    return items


def facts_then_passages(facts: Sequence[Row], passages: Sequence[Row]) -> list[Row]:
    """The rows `fold_holdings` folds, from a holding's own rows (no passage: its first gives
    the item's fields) and its passage rows, read apart: their product (every passage once per
    mandate year) cost more to read than the query (issue #16). Holdings with no passage, and
    passages of holdings with no rows of their own, are left out, as the product leaves them."""
    attested = {text(row, "holding") for row in passages}
    held = {text(row, "holding") for row in facts}
    return [row for row in facts if text(row, "holding") in attested] + [
        row for row in passages if text(row, "holding") in held
    ]


def unpacked(rows: Iterable[Row]) -> list[Row]:
    """One row per source from rows whose `sources` packs a holding's sources as
    "attested|passage" pairs separated by spaces (api_area_holdings, api_presidency_passages:
    one row per holding is cheaper to carry out of the store than one per source). Each
    row is the packed row with `attested` (the date's lexical form, or None: a plain string,
    as `passages.with_details` adds its values; an rdflib Literal cost ~11 µs a date, 4.6 of
    the 31 ms of /presidencies at 1M in process) and `passage` (an IRI). A
    blank-node source (an upload may hold one) has no string form, so it is not packed; a
    holding with no other source keeps one row with no passage."""
    out: list[Row] = []
    for row in rows:
        packed = text(row, "sources")
        if packed is None:
            out.append(row)
            continue
        pairs = packed.split()
        if not pairs:  # every source was a blank node: the holding stays, with no source
            out.append({**row, "attested": None, "passage": None})
        for pair in pairs:
            attested, _, passage = pair.partition("|")
            # An IRI term made once per process (rdflib checks each IRI it makes, ~8 µs; the same
            # 7,480 passages at 1M in every /coordinators answer): the store's own cache.
            passage_iri = from_plain(("I", passage))
            out.append({**row, "attested": attested or None, "passage": passage_iri})
    return out


def unpacked_days(rows: Iterable[Row]) -> list[Row]:
    """One row per attestation date from rows whose `days` packs a holding's dates, separated
    by spaces (api_area_holdings_unsourced, api_presidency_dates: `sources=none`, no passage
    read); rows without `days` as they are. A holding with no date keeps one row with
    `attested` None: it is answered, as a holding whose sources `unpacked` drops. Each date
    as its lexical form, as in `unpacked`."""
    out: list[Row] = []
    for row in rows:
        packed = text(row, "days")
        if packed is None:  # a holding's own row
            out.append(row)
            continue
        days = (packed or "").split()
        if not days:
            out.append({**row, "attested": None})
        for found in days:
            out.append({**row, "attested": found})
    return out


def in_period(item: Held, period: Period) -> bool:
    """The holding's period meets the one asked for (attestations extend a stated term)."""
    return span_meets([item.start, item.end, *item.attested], period)


def span_meets(dated: Sequence[str | None], period: Period) -> bool:
    """The span of these ISO days meets `period`; no days meet only an unbounded period."""
    days = [d for d in dated if d]
    if not days:
        return period.start is None and period.end is None
    return overlaps(min(days), max(days), period.start, period.end)
