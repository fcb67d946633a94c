"""The span of days of each coordinator and Friend holding of an area, kept per data generation.

Why: GET /coordinators with an area and a period (`year`, `on`, `from`, `to`) chooses the
holdings whose span meets the period before reading their passages. Read from the store on
every request, the choice was most of the answer's time at 1M triples (api_holding_days and
api_holding_terms, 8.4 of 11.2 ms in process: the named query `coordinators_in_year` finds its
holdings in one lookup of the ccm:activeYear index the loaders write). The spans change only
when the data does: an embedded store bumps its `data_generation` on every committed write, so
the spans of an area, read once under a generation (the same two queries, by the first period
request for the area after a write), are exactly what reading them again would give until the
next write. The generation is read before the queries, so spans read across a write are kept
under the older generation and never used after it. A store with no generation (a remote
SPARQL server, whose data can change behind our back) reads the spans of the asked area and
State on every request, as before. Spans read from an answer cut by the row cap are not kept,
and the list says it is truncated.

A holding's span: its first and last attested days, and the days of its term: a term a rule
dated from the calendar before the stated one (as `holdings.fold_holdings` takes them). A
holding no dated attestation names has no span, and no period chooses it.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from ccmkg.api.rest.params import Period
from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import day, local_name, text
from ccmkg.api.services.holdings import span_meets
from ccmkg.model.vocab import Term as Area
from ccmkg.store import Rows, Store


@dataclass(frozen=True)
class HoldingSpan:
    """A holding's holder (an IRI) and the first and last day of its span."""

    state: str | None
    first: str
    last: str


Spans = dict[str, HoldingSpan]


def spans_from(attested: Rows, terms: Rows) -> Spans:
    """The span of each holding that api_holding_days answers (`attested`), with the terms of
    api_holding_terms (`terms`): a term a rule dated (`termKind`) before the stated one."""
    days: dict[str, list[str]] = {}
    holder: dict[str, str | None] = {}
    for row in attested.rows:
        holding = text(row, "holding") or ""
        found = [day(row, "firstAttested") or "", day(row, "lastAttested") or ""]
        days.setdefault(holding, []).extend(found)
        holder.setdefault(holding, text(row, "state"))
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
            spans[holding] = HoldingSpan(holder[holding], min(every), max(every))
    return spans


def read_spans(queries: Queries, area: str | None, state: str | None) -> tuple[Spans, list[Rows]]:
    """The spans of the holdings of `area` (slug) held by `state` (local name), None for any,
    read from the store, and the two answers they were read from."""
    bound = {"area": area, "state": state}
    attested = queries.run("api_holding_days", bound)
    terms = queries.run("api_holding_terms", bound)
    return spans_from(attested, terms), [attested, terms]


# Per store: the generation, and per area slug the spans and the answers they were read from
# (a `Listing` is built from the answers its items were chosen from; these are never cut by
# the row cap).
Held = tuple[Spans, list[Rows]]
_HELD: weakref.WeakKeyDictionary[Store, tuple[int, dict[str, Held]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def held_spans(queries: Queries, area: str) -> Held | None:
    """The spans of the holdings of `area` (slug) under the store's current generation (read on
    the first call for the area after a write), and the answers they were read from; None
    when the store has no generation."""
    store = queries.store
    generation = getattr(store, "data_generation", None)
    if not isinstance(generation, int):
        return None
    with _LOCK:
        held = _HELD.get(store)
        if held is not None and held[0] == generation and area in held[1]:
            return held[1][area]
    # Read without the lock: two first requests may both read; neither waits for the other.
    spans, answers = read_spans(queries, area, None)
    if any(answer.truncated for answer in answers):
        return spans, answers
    with _LOCK:
        held = _HELD.get(store)
        if held is None or held[0] < generation:
            held = _HELD[store] = (generation, {})
        if held[0] == generation:
            held[1][area] = (spans, answers)
    return spans, answers


def chosen_holdings(
    queries: Queries, area: Area, state: str | None, period: Period
) -> tuple[list[str], list[Rows]]:
    """The holdings of `area` held by `state` (an IRI; None for any) whose span meets `period`,
    in IRI order, and the store answers they were chosen from (cut by the row cap, they say
    so)."""
    found = held_spans(queries, area.slug)
    if found is None:  # no generation: this area's and State's spans, read again each time
        found = read_spans(queries, area.slug, local_name(state) if state else None)
    spans, answers = found
    chosen = [
        holding
        for holding, span in spans.items()
        if (state is None or span.state == state) and span_meets([span.first, span.last], period)
    ]
    return sorted(chosen), answers
