"""The span of days of each coordinator and Friend holding of an area, kept per data generation.

Why: GET /coordinators with an area and a period (`year`, `on`, `from`, `to`) chooses the
holdings whose span meets the period before reading their passages. Read from the store on
every request, the choice was most of the answer's time at 1M triples (api_holding_days and
api_holding_terms, 8.4 of 11.2 ms in process: the named query `coordinators_in_year` finds its
holdings in one lookup of the ccm:activeYear index the loaders write). The spans change only
when the data does: the spans of an area are read by the first period request for the area
after a write (the same two queries as every request read before) and kept until the next
write (`between_writes.kept`). A store with no generation (a remote SPARQL server) reads the
spans of the asked area and State on every request.

A holding's span: its first and last attested days, and the days of its term: a term a rule
dated from the calendar before the stated one (as `holdings.fold_holdings` takes them). A
holding no dated attestation names has no span, and no period chooses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccmkg.api.rest.params import Period
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import day, local_name, text
from ccmkg.api.services.between_writes import kept
from ccmkg.api.services.holdings import span_meets
from ccmkg.model.vocab import Term as Area
from ccmkg.store import Rows


@dataclass(frozen=True)
class HoldingSpan:
    """A holding's holders (IRIs: one, unless documents disagree) and the first and last day
    of its span."""

    states: frozenset[str]
    first: str
    last: str


Spans = dict[str, HoldingSpan]


def spans_from(attested: Rows, terms: Rows) -> Spans:
    """The span of each holding that api_holding_days answers (`attested`), with the terms of
    api_holding_terms (`terms`): a term a rule dated (`termKind`) before the stated one."""
    days: dict[str, list[str]] = {}
    holders: dict[str, set[str]] = {}
    for row in attested.rows:
        holding = text(row, "holding") or ""
        found = [day(row, "firstAttested") or "", day(row, "lastAttested") or ""]
        days.setdefault(holding, []).extend(found)
        holders.setdefault(holding, set()).update(s for s in [text(row, "state")] if s)
    derived: dict[str, list[str]] = {}
    stated: dict[str, list[str]] = {}
    for row in terms.rows:
        target = derived if text(row, "termKind") else stated
        ends = [day(row, "termStart") or "", day(row, "termEnd") or ""]
        target.setdefault(text(row, "holding") or "", []).extend(ends)
    spans: Spans = {}
    for holding, dated in days.items():
        every = [d for d in (*dated, *derived.get(holding, stated.get(holding, []))) if d]
        if every:
            spans[holding] = HoldingSpan(frozenset(holders[holding]), min(every), max(every))
    return spans


def read_spans(queries: Queries, area: str | None, state: str | None) -> tuple[Spans, list[Rows]]:
    """The spans of the holdings of `area` (slug) held by `state` (local name), None for any,
    read from the store, and the two answers they were read from."""
    bound = {"area": area, "state": state}
    attested = queries.run("api_holding_days", bound)
    terms = queries.run("api_holding_terms", bound)
    return spans_from(attested, terms), [attested, terms]


def chosen_holdings(
    queries: Queries, area: Area, state: str | None, period: Period
) -> tuple[list[str], list[Rows]]:
    """The holdings of `area` held by `state` (an IRI; None for any) whose span meets `period`,
    in IRI order, and the store answers they were chosen from (cut by the row cap, they say
    so)."""
    if isinstance(getattr(queries.store, "data_generation", None), int):
        spans, answers = kept(
            queries, ("holding-spans", area.slug), lambda: read_spans(queries, area.slug, None)
        )
    else:  # read every time: only the asked State's
        spans, answers = read_spans(queries, area.slug, local_name(state) if state else None)
    chosen = [
        holding
        for holding, span in spans.items()
        if (state is None or state in span.states) and span_meets([span.first, span.last], period)
    ]
    return sorted(chosen), answers
