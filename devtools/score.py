"""Score extraction against hand-written gold files: precision and recall per fact kind.

Gold lives in tests/gold/<corpus file>.yaml and tests/data/variants/<variant>.yaml (a variant
may say `same_as: <gold file>` and override kinds). Facts are compared as normalised keys, so
"Bosnia & Herzegovina" and "Bosnia and Herzegovina" are the same State, but a wrong date or a
missing delegation counts. `python -m devtools.score` prints the table.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ccmkg.loaders.extract import extract_document
from ccmkg.loaders.gazetteer import norm, person_key, slug, split_honorific
from ccmkg.loaders.readers.calendar import calendar_by_meeting
from ccmkg.loaders.records import ActorRef, Extraction
from ccmkg.resources import corpus_files

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold"
VARIANT_DIR = ROOT / "tests" / "data" / "variants"

KINDS = (
    "document",
    "meeting",
    "attendance",
    "participants",
    "apologies",
    "apology_persons",
    "holdings",
    "obligation_events",
    "aggregate_statements",
    "agenda",
    "action_points",
    "minutes_approvals",
    "next_meeting",
    "conflicts",
    "unresolved",
    "working_groups",
    "review",
    "calendar",
    "presidents",
    "treaty_actions",
)
Key = tuple[str, ...]


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if re.fullmatch(r"\d{1,2}:\d{2}", str(value)):
        return str(value).zfill(5)
    return norm(str(value))


def _cells(row: str, n: int) -> list[str]:
    parts = [c.strip() for c in str(row).split("|")]
    return (parts + [""] * n)[:n]


def _fields(kind: str, values: dict[str, object]) -> set[Key]:
    return {(kind, k, _s(v)) for k, v in values.items() if v is not None and v != ""}


def _person_field(name: str | None) -> str:
    return person_key(name) if name else ""


# --- keys from gold ---------------------------------------------------------------------------


def gold_keys(gold: dict) -> dict[str, set[Key]]:  # type: ignore[type-arg]
    """Normalised fact keys per kind from a gold mapping."""
    out: dict[str, set[Key]] = {k: set() for k in KINDS}
    out["document"] = _fields("document", gold.get("document") or {})
    meeting = dict(gold.get("meeting") or {})
    if meeting.get("chair_person"):
        meeting["chair_person"] = _person_field(str(meeting["chair_person"]))
    out["meeting"] = {
        (k, f, v if f != "chair_person" else str(meeting["chair_person"]))
        for k, f, v in _fields("meeting", meeting)
    }
    out["attendance"] = {(str(a),) for a in gold.get("attendance") or []}
    for row in gold.get("participants") or []:
        actor, written, role = _cells(row, 3)
        hon, bare = split_honorific(written)
        out["participants"].add((actor, person_key(bare), _s(hon), _s(role)))
    for row in gold.get("apologies") or []:
        actor, status = _cells(row, 2)
        out["apologies"].add((actor, status))
    for row in gold.get("apology_persons") or []:
        actor, written = _cells(row, 2)
        out["apology_persons"].add((actor, person_key(written)))
    for row in gold.get("holdings") or []:
        holder, post, area, meeting_label, years = _cells(row.split("#")[0], 5)
        out["holdings"].add(
            (
                holder,
                post,
                slug(area) if area else "",
                meeting_label,
                " ".join(sorted(years.split())),
            )
        )
    for row in gold.get("obligation_events") or []:
        state, article, event = _cells(row.split("#")[0], 3)
        out["obligation_events"].add((state, article, event))
    for row in gold.get("aggregate_statements") or []:
        article, count = _cells(str(row).split("#")[0], 2)
        out["aggregate_statements"].add((article, count))
    for row in gold.get("agenda") or []:
        number, title = (
            _cells(row, 2)
            if row.count("|") == 1
            else (row.split("|", 1)[0].strip(), row.split("|", 1)[1].strip())
        )
        out["agenda"].add((number, norm(title)))
    out["action_points"] = {(norm(t),) for t in gold.get("action_points") or []}
    out["minutes_approvals"] = {(_s(d),) for d in gold.get("minutes_approvals") or []}
    out["next_meeting"] = _fields("next_meeting", gold.get("next_meeting") or {})
    out["conflicts"] = {(norm(c),) for c in gold.get("conflicts") or []}
    out["unresolved"] = {(norm(u),) for u in gold.get("unresolved") or []}
    for row in gold.get("working_groups") or []:
        name, subject, codes, day, event = _cells(str(row).split("#")[0], 5)
        out["working_groups"].add(_wg_key(name, subject, codes.split(","), day, event))
    for row in gold.get("review") or []:
        text, reason = _cells(row, 2)
        out["review"].add((norm(text), reason))
    for row in gold.get("calendar") or []:  # "6MSP | 2016-09-05 | 2016-09-07 | Geneva"
        label, start, end, city = _cells(str(row).split("#")[0], 4)
        out["calendar"].add((label, start, end, norm(city)))
    for row in gold.get("presidents") or []:  # "6MSP | NLD | person as written"
        label, state, who = _cells(str(row).split("#")[0], 3)
        out["presidents"].add((label, state, person_key(who) if who else ""))
    for row in gold.get("treaty_actions") or []:  # "AFG | signature | 2008-12-03"
        state, action, day = _cells(str(row).split("#")[0], 3)
        out["treaty_actions"].add((state, action, day))
    return out


def _wg_key(name: str, subject: str, codes: Iterable[str], day: str, event: str) -> Key:
    """A working-group fact: "name | area slug or topic | codes | date | event" in the gold.
    The name counts only for being informal (one group is written many ways); the date at its
    stated precision ("2017-12"); the event defaults to "reported"."""
    members = ",".join(sorted({c.strip() for c in codes if c.strip()}))
    informal = "informal" if "informal" in norm(name) else ""
    return (informal, slug(subject) if subject else "", members, day.strip(), event or "reported")


def _wg_day(date: dt.date | None, precision: str | None) -> str:
    if date is None:
        return ""
    cut = {"year": 4, "month": 7}.get(precision or "day", 10)
    return date.isoformat()[:cut]


# --- keys from an extraction ------------------------------------------------------------------


def _actor_key(ref: ActorRef) -> str:
    """Gold writes unresolved actors as `x-{slug}`, the key their IRI gets."""
    return ref.key if ref.resolved else f"x-{ref.key}"


def extracted_keys(ex: Extraction) -> dict[str, set[Key]]:
    """The same normalised keys, read from an Extraction."""
    out: dict[str, set[Key]] = {k: set() for k in KINDS}
    d = ex.document
    out["document"] = _fields(
        "document",
        {"family": d.family, "title": d.title, "date": d.date, "date_inferred": d.date_inferred},
    )
    if ex.meeting:
        m = ex.meeting
        vals: dict[str, object] = {
            "kind": m.kind,
            "date": m.date,
            "end_date": m.end_date,
            "start_time": m.start_time,
            "end_time": m.end_time,
            "venue": m.venue,
            "format": m.format,
            "ordinal": m.ordinal,
            "ordinal_scope": m.ordinal_scope,
            "chair": m.chair.key if m.chair else None,
            "title": m.title,
        }
        if m.date is not None:
            vals["date_inferred"] = m.date_inferred
        if m.date_status == "uncertain":
            vals["date_status"] = m.date_status
            vals["year_candidates"] = " ".join(str(y) for y in m.year_candidates)
        out["meeting"] = _fields("meeting", vals)
        if m.chair_person:
            out["meeting"].add(("meeting", "chair_person", m.chair_person.key))
    for a in ex.attendance:
        out["attendance"].add((_actor_key(a.actor),))
        for p in a.participants:
            out["participants"].add(
                (_actor_key(a.actor), p.person.key, _s(p.person.honorific), _s(p.role))
            )
    for ap in ex.apologies:
        out["apologies"].add((_actor_key(ap.actor), "received" if ap.received else "not-received"))
        out["apology_persons"] |= {(_actor_key(ap.actor), p.person.key) for p in ap.persons}
    merged: dict[tuple[str, str, str], tuple[str, set[int]]] = {}
    for h in ex.holdings:
        if h.holder is None:
            continue  # a person in a post whose State is not named: a president, not a holding
        k = (h.holder.key, h.post, h.area or (slug(h.topic) if h.topic else ""))
        label, years = merged.get(k, ("", set()))
        merged[k] = (
            label or (h.meeting.label if h.meeting and h.meeting.label else ""),
            years | set(h.mandate_years),
        )
    for (holder, post, area), (label, years) in merged.items():
        out["holdings"].add((holder, post, area, label, " ".join(str(y) for y in sorted(years))))
    for o in ex.obligation_events:
        out["obligation_events"].add((o.state.key, str(o.article or ""), o.event))
    for s in ex.aggregate_statements:
        out["aggregate_statements"].add((str(s.article), str(s.count)))
    for item in ex.agenda:
        out["agenda"].add((item.number or "", norm(item.title)))
    out["action_points"] = {(norm(a.text),) for a in ex.action_points}
    out["minutes_approvals"] = {(_s(a.minutes_date),) for a in ex.minutes_approvals}
    if ex.next_meeting:
        n = ex.next_meeting
        out["next_meeting"] = _fields(
            "next_meeting",
            {
                "date": n.date,
                "date_text": None if n.date else n.date_text,
                "start_time": n.start_time,
                "venue": n.venue,
            },
        )
    out["conflicts"] = {(norm(c.about),) for c in ex.conflicts}
    out["unresolved"] = {(norm(i.message),) for i in ex.issues if i.kind == "unresolved"}
    for w in ex.working_groups:
        codes = [_actor_key(a) for a in (*w.leads, *w.members, *w.representatives)]
        subject = w.area or w.topic or ""
        day = _wg_day(w.date, w.date_precision)
        out["working_groups"].add(_wg_key(w.name, subject, codes, day, w.event))
    out["review"] = {(norm(r.text), r.reason) for r in ex.review}
    for c in calendar_by_meeting(ex.calendar):
        out["calendar"].add((c.meeting.label or "", _s(c.start), _s(c.end), norm(c.city or "")))
    for h in ex.holdings:
        if h.post == "president" and h.person is not None and h.meeting and h.meeting.label:
            holder = h.holder.key if h.holder else ""
            out["presidents"].add((h.meeting.label, holder, h.person.key))
    out["treaty_actions"] = {(t.state.key, t.action, _s(t.date)) for t in ex.treaty_actions}
    return out


# --- scoring --------------------------------------------------------------------------------


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_gold(path: Path) -> dict:  # type: ignore[type-arg]
    """A gold mapping; `same_as` pulls a base gold file and `override` replaces kinds."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "same_as" in data:
        base_path = (
            (GOLD_DIR / data["same_as"])
            if (GOLD_DIR / data["same_as"]).exists()
            else (path.parent / data["same_as"])
        )
        base = load_gold(base_path)
        for k, v in (data.get("override") or {}).items():
            if isinstance(v, dict) and isinstance(base.get(k), dict):
                base[k] = {**base[k], **v}
            else:
                base[k] = v
        for k in data.get("drop") or []:
            base.pop(k, None)
        return base
    return data


def cases() -> list[tuple[str, Path, Path]]:
    """(label, document, gold) for every corpus file and every variant with a gold file."""
    out = []
    for f in corpus_files():
        g = GOLD_DIR / f"{f.name}.yaml"
        if g.exists():
            out.append((f.name, f, g))
    for f in sorted(VARIANT_DIR.glob("*.txt")):
        g = f.with_suffix(".yaml")
        if g.exists():
            out.append((f.name, f, g))
    return out


def score(selected: Iterable[tuple[str, Path, Path]] | None = None) -> dict[str, Tally]:
    """Micro-averaged tallies per kind over the selected cases."""
    tallies = {k: Tally() for k in KINDS}
    for label, doc, gold_path in selected if selected is not None else cases():
        gold = load_gold(gold_path)
        ex = extract_document(doc, doc.read_bytes(), source_url=gold.get("source_url"))
        got, want = extracted_keys(ex), gold_keys(gold)
        for k in KINDS:
            t = tallies[k]
            t.tp += len(got[k] & want[k])
            t.fp += len(got[k] - want[k])
            t.fn += len(want[k] - got[k])
            t.misses += [f"{label}: extra {x}" for x in sorted(got[k] - want[k])]
            t.misses += [f"{label}: missed {x}" for x in sorted(want[k] - got[k])]
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    rows = [
        "| kind | gold | extracted | correct | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for k, t in tallies.items():
        rows.append(
            f"| {k} | {t.tp + t.fn} | {t.tp + t.fp} | {t.tp} | {t.precision:.3f} | {t.recall:.3f} |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    groups = {
        "corpus": [c for c in cases() if c[1].parent != VARIANT_DIR],
        "variants": [c for c in cases() if c[1].parent == VARIANT_DIR],
    }
    for name, sel in groups.items():
        tallies = score(sel)
        print(f"\n## {name} ({len(sel)} documents)\n")
        print(table(tallies))
        if verbose:
            for k, t in tallies.items():
                for miss in t.misses:
                    print(f"  [{k}] {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
