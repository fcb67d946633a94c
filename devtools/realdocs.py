"""Score the loaders against real documents: `python -m devtools.realdocs [--set DIR] [-v]`.

tests/realdocs/<id>.yaml holds, per public CCM document, its URL, the `search` query that
finds it, its layout traits and the gold facts a careful reader takes from the excerpt. The
excerpts themselves are third-party text and stay out of git, in .cache/realdocs/<id>.txt
(re-fetch a missing one with the query in its YAML). Prints precision and recall per fact kind,
the actors minted from text the gazetteer cannot resolve (must be 0), and with -v every miss.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.readers.calendar import calendar_by_meeting
from ccmkg.loaders.records import Extraction
from ccmkg.model.iri import meeting_key, short_meeting_label
from ccmkg.model.names import fold, person_key, slug
from devtools.score import Tally, table

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "realdocs"
CACHE_DIR = ROOT / ".cache" / "realdocs"

Key = tuple[str, ...]
KINDS = (
    "document",
    "meeting",
    "attendance",
    "participants",
    "apologies",
    "apology_persons",
    "holdings",
    "meetings",
    "presidents",
    "obligations",
    "ratifications",
    "working_groups",
    "minutes_approvals",
)


# The gold's finer event names -> the ontology's ccm:ObligationEventType notations (the
# article and the wording keep the distinction: Article 3 completion = stockpile destroyed).
EVENT_ALIASES = {
    "stockpile-destroyed": "completion-declared",
    "initial-report-overdue": "report-overdue",
    "annual-report-overdue": "report-overdue",
}


def _cells(row: object, n: int) -> list[str]:
    parts = [c.strip() for c in str(row).split("#")[0].split("|")]
    return (parts + [""] * n)[:n]


def _day(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "").strip()


def _meeting(label: str) -> str:
    """ "6MSP", "msp-6" -> "6MSP": one spelling of a numbered meeting."""
    return short_meeting_label(meeting_key(label)) or label.strip()


def gold_keys(gold: dict) -> dict[str, set[Key]]:  # type: ignore[type-arg]
    """Normalised fact keys per kind from a real document's gold."""
    out: dict[str, set[Key]] = {k: set() for k in KINDS}
    doc = gold.get("document") or {}
    if doc.get("date"):
        out["document"].add(("date", _day(doc["date"])))
    meeting = gold.get("meeting") or {}
    status = meeting.get("date_status", "stated")
    for field in ("date", "venue", "chair", "ordinal"):
        # Only the date depends on its status: an uncertain meeting keeps its venue, chair and
        # ordinal (the earlier normalisation dropped every field of such a meeting).
        if meeting.get(field) and (field != "date" or status == "stated"):
            out["meeting"].add((field, fold(_day(meeting[field]))))
    if status == "uncertain":
        out["meeting"].add(("date_status", "uncertain"))
        years = " ".join(str(y) for y in sorted(meeting.get("year_candidates") or []))
        out["meeting"].add(("year_candidates", years))
    if meeting.get("chair_person"):
        out["meeting"].add(("chair_person", person_key(str(meeting["chair_person"]))))
    out["attendance"] = {(str(a),) for a in gold.get("attendance") or []}
    for row in gold.get("participants") or []:
        actor, written = _cells(row, 2)
        out["participants"].add((actor, person_key(written)))
    out["apologies"] = {(_cells(a, 1)[0],) for a in gold.get("apologies") or []}
    for row in gold.get("apology_persons") or []:
        actor, written = _cells(row, 2)
        out["apology_persons"].add((actor, person_key(written)))
    for row in gold.get("holdings") or []:
        holder, post, area, label, years = _cells(row, 5)
        out["holdings"].add((holder, post, area, _meeting(label) if label else "", years))
    for row in gold.get("meetings") or []:
        label, start, end, city = _cells(row, 4)
        out["meetings"].add((_meeting(label), start, end, fold(city)))
    for row in gold.get("presidents") or []:
        label, state, person = _cells(row, 3)
        out["presidents"].add((_meeting(label), state, person_key(person) if person else ""))
    for row in gold.get("obligations") or []:
        state, article, kind, day = _cells(row, 4)
        out["obligations"].add((state, article, EVENT_ALIASES.get(kind, kind), day))
    for row in gold.get("ratifications") or []:
        state, kind, day = _cells(row, 3)
        out["ratifications"].add((state, kind, day))
    for row in gold.get("working_groups") or []:
        name, area, codes, day = _cells(row, 4)
        out["working_groups"].add(wg_key(name, area, codes.split(","), day))
    out["minutes_approvals"] = {(_day(d),) for d in gold.get("minutes_approvals") or []}
    return out


def wg_key(name: str, subject: str, codes: Iterable[str], day: str) -> Key:
    """A working-group fact: which group (informal or not, area slug or topic slug), who leads
    or takes part (sorted codes), and the stated date at its precision ("2017-12", "2018-05-23",
    "" unknown). The name as written is not compared: one group is written many ways."""
    informal = "informal" if "informal" in fold(name) else ""
    members = ",".join(sorted({c.strip() for c in codes if c.strip()}))
    return (informal, slug(subject) if subject else "", members, day.strip())


def _wg_day(date: dt.date | None, precision: str | None) -> str:
    if date is None:
        return ""
    return {"year": date.isoformat()[:4], "month": date.isoformat()[:7]}.get(
        precision or "day", date.isoformat()
    )


def extracted_keys(ex: Extraction) -> dict[str, set[Key]]:
    """The same keys read off an Extraction (kinds the loaders do not read yet stay empty)."""
    out: dict[str, set[Key]] = {k: set() for k in KINDS}
    if ex.document.date:
        out["document"].add(("date", ex.document.date.isoformat()))
    m = ex.meeting
    if m is not None:
        values = {
            "date": m.date.isoformat() if m.date and not m.date_inferred else None,
            "venue": m.venue,
            "chair": m.chair.key if m.chair else None,
            "ordinal": m.ordinal,
        }
        out["meeting"] = {(k, fold(str(v))) for k, v in values.items() if v}
        if m.chair_person:
            out["meeting"].add(("chair_person", m.chair_person.key))
        if m.date_status == "uncertain":
            out["meeting"].add(("date_status", "uncertain"))
            out["meeting"].add(("year_candidates", " ".join(str(y) for y in m.year_candidates)))
    for a in ex.attendance:
        out["attendance"].add((a.actor.key,))
        out["participants"] |= {(a.actor.key, p.person.key) for p in a.participants}
    # The gold's `apologies` are apologies received; absent without apologies is kept apart.
    out["apologies"] = {(ap.actor.key,) for ap in ex.apologies if ap.received}
    for ap in ex.apologies:
        out["apology_persons"] |= {(ap.actor.key, p.person.key) for p in ap.persons}
    for h in ex.holdings:
        label = _meeting(h.meeting.label) if h.meeting and h.meeting.label else ""
        years = (
            "-".join(str(y) for y in (min(h.mandate_years), max(h.mandate_years)))
            if (h.mandate_years)
            else ""
        )
        out["holdings"].add((h.holder.key, h.post, h.area or "", label, years))
    for o in ex.obligation_events:
        day = o.deadline if o.event.startswith("extension") else o.date
        out["obligations"].add((o.state.key, str(o.article), o.event, _day(day)))
    out["minutes_approvals"] = {(_day(a.minutes_date),) for a in ex.minutes_approvals}
    for w in ex.working_groups:
        codes = [a.key for a in (*w.leads, *w.members, *w.representatives)]
        out["working_groups"].add(
            wg_key(w.name, w.area or w.topic or "", codes, _wg_day(w.date, w.date_precision))
        )
    out["ratifications"] = {(t.state.key, t.action, _day(t.date)) for t in ex.treaty_actions}
    for c in calendar_by_meeting(ex.calendar):
        label = _meeting(c.meeting.label or "")
        out["meetings"].add((label, _day(c.start), _day(c.end), fold(c.city or "")))
    for h in ex.holdings:
        if h.post == "president" and h.person is not None and h.meeting and h.meeting.label:
            out["presidents"].add((_meeting(h.meeting.label), h.holder.key, h.person.key))
    return out


def minted_from_unresolved(ex: Extraction) -> list[str]:
    """Actors in facts that the gazetteer did not resolve (the guardrail: must be none)."""
    refs = [a.actor for a in ex.attendance] + [a.actor for a in ex.apologies]
    refs += [h.holder for h in ex.holdings] + [o.state for o in ex.obligation_events]
    return sorted({r.name_as_written for r in refs if not r.resolved})


def cases(subset: str = "") -> list[tuple[str, dict, Path]]:  # type: ignore[type-arg]
    """(id, record, cached text path) for every gold file of the set (`heldout`: the held-out
    documents, read after the loaders were written and never used to develop them)."""
    out = []
    for path in sorted((GOLD_DIR / subset).glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((record["id"], record, CACHE_DIR / subset / f"{record['id']}.txt"))
    return out


def score(selected: Iterable[tuple[str, dict, Path]]) -> tuple[dict[str, Tally], list[str]]:  # type: ignore[type-arg]
    tallies = {k: Tally() for k in KINDS}
    minted: list[str] = []
    for doc_id, record, text_path in selected:
        ex = extract_document(text_path, text_path.read_bytes())
        got, want = extracted_keys(ex), gold_keys(record.get("gold") or {})
        minted += [f"{doc_id}: {name}" for name in minted_from_unresolved(ex)]
        for k in KINDS:
            t = tallies[k]
            t.tp += len(got[k] & want[k])
            t.fp += len(got[k] - want[k])
            t.fn += len(want[k] - got[k])
            t.misses += [f"{doc_id}: extra {x}" for x in sorted(got[k] - want[k])]
            t.misses += [f"{doc_id}: missed {x}" for x in sorted(want[k] - got[k])]
    return tallies, minted


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    subset = "heldout" if "--heldout" in argv else ""
    if "--set" in argv:  # any folder of gold under tests/realdocs/ ("heldout2"); --heldout too
        subset = argv[argv.index("--set") + 1]
    available = [c for c in cases(subset) if c[2].exists()]
    missing = [c for c in cases(subset) if not c[2].exists()]
    for doc_id, record, _ in missing:
        print(f"missing text for {doc_id}: search (corpus pages) {record['query']!r}")
    tallies, minted = score(available)
    title = f"held-out real documents ({subset})" if subset else "real development set"
    print(f"\n## {title} ({len(available)} documents)\n")
    print(table(tallies))
    print(f"\nactors minted from unresolved text: {len(minted)}")
    if verbose:
        for line in minted:
            print(f"  [minted] {line}")
        for k, t in tallies.items():
            for miss in t.misses:
                print(f"  [{k}] {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
