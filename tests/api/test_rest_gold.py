"""Every fact of the gold files is answered by the REST API, with a citable passage (issue 5).

The bundled corpus is loaded with the real pipeline into a store (embedded and remote), served
by the real app, and read back through HTTP. The expected facts are not written here: they come
from tests/gold/*.yaml (read by a person off the five documents), parsed and normalised by
devtools.score exactly as the loader scores are. For every coordinator and Friend holding,
presidency role, meeting, attendance (with its persons) and apology the test finds the item
that answers it and checks that it cites a passage of that document whose `quote` is the
document's text[start:end]. A failure lists every gold fact the API misses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from ccmkg.loaders.emit import document_iri
from ccmkg.loaders.gazetteer import norm, person_key, slug
from ccmkg.loaders.pipeline import load_paths
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import open_store
from ccmkg.store.remote import RemoteStore
from devtools.score import GOLD_DIR, gold_keys, load_gold
from devtools.server import serve_app

BASE = "https://ccm-kg.org/"
ALL = {"limit": "1000"}
PRESIDENCY_ROLES = ("president", "president-designate", "past-president")


@dataclass(frozen=True)
class Doc:
    """A corpus document as the API should cite it: its IRI and its original text."""

    name: str
    iri: str
    text: str
    gold: dict[str, set[tuple[str, ...]]]
    meeting_kind: str | None


@dataclass
class Corpus:
    client: httpx.Client
    docs: list[Doc]

    def get(self, path: str, **params: str) -> Any:
        response = self.client.get(path, params=params)
        assert response.status_code == 200, f"{path} {params}: {response.text}"
        return response.json()

    def person_keys(self, person_id: str) -> set[str]:
        """The name keys of every spelling of one person. Near spellings of one person are
        merged across documents (issue 12), so a document's gold spelling may be an alternate
        name of the person the API answers with."""
        if not hasattr(self, "_keys"):
            items = self.get("/persons", **ALL)["items"]
            self._keys = {
                i["id"]: {person_key(n) for n in [i["name"] or "", *i["spellings"]] if n}
                for i in items
            }
        return self._keys.get(person_id, set())


def corpus_docs() -> list[Doc]:
    docs = []
    for path in corpus_files():
        raw = path.read_bytes()
        gold_file = GOLD_DIR / f"{path.name}.yaml"
        assert gold_file.exists(), f"no gold file for {path.name}"
        gold = load_gold(gold_file)
        docs.append(
            Doc(
                name=path.name,
                iri=str(document_iri(BASE, hashlib.sha256(raw).hexdigest())),
                text=raw.decode("utf-8-sig"),
                gold=gold_keys(gold),
                meeting_kind=(gold.get("meeting") or {}).get("kind"),
            )
        )
    return docs


@pytest.fixture(scope="module", params=["embedded", "remote"])
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corpus]:
    """The corpus loaded once per backend, behind a live server."""
    if request.param == "embedded":
        settings = Settings(store=str(tmp_path_factory.mktemp("gold") / "store"), base_iri=BASE)
    else:
        server = request.getfixturevalue("oxigraph_server")
        settings = Settings(store=f"{server}/query", store_update_url=f"{server}/update")
    store = open_store(settings)
    if isinstance(store, RemoteStore):
        store.clear()
    try:
        report = load_paths(store, settings, corpus_files())
        assert not report.rejected, report.rejected
        with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=60) as client:
            yield Corpus(client, corpus_docs())
    finally:
        store.close()


# --- reading API items as the gold's normalised keys -----------------------------------------


def actor_key(actor: dict[str, Any] | None) -> str:
    """ISO alpha-3, acronym, or (unresolved) the `x-slug` the IRI ends with: the gold's keys."""
    if not actor:
        return ""
    return actor.get("iso3") or actor.get("acronym") or actor["id"].rstrip("/").rsplit("/", 1)[-1]


def cites(item: dict[str, Any], doc: Doc) -> bool:
    return any(s["document"]["id"] == doc.iri for s in item.get("sources") or [])


def bad_sources(item: dict[str, Any], docs: list[Doc]) -> list[str]:
    """Sources that are not a slice of a loaded document: text[start:end] must be the quote."""
    by_iri = {d.iri: d for d in docs}
    out = []
    for s in item.get("sources") or []:
        doc = by_iri.get(s["document"]["id"])
        if doc is None:
            out.append(f"unknown document {s['document']['id']}")
        elif s["start"] is None or doc.text[s["start"] : s["end"]] != s["quote"]:
            out.append(f"{doc.name}[{s['start']}:{s['end']}] is not {s['quote']!r}")
    return out


def norm_value(value: object) -> str:
    """The gold's normalisation of a meeting field (see devtools.score)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", str(value)):
        return str(value)  # dates and times are compared as written, not as names
    return norm(str(value))


def meeting_keys(m: dict[str, Any]) -> set[tuple[str, str, str]]:
    values: dict[str, object] = {
        "kind": m["kind"],
        "date": m["date"],
        "date_inferred": m["date_inferred"],
        "end_date": m["end_date"],
        "start_time": (m["start_time"] or "")[:5] or None,
        "end_time": (m["end_time"] or "")[:5] or None,
        "venue": m["venue"],
        "format": m["format"],
        "ordinal": m["ordinal"],
        "ordinal_scope": m["ordinal_scope"],
        "chair": actor_key(m["chair"]) or None,
        "title": m["title"],
    }
    keys = {("meeting", k, norm_value(v)) for k, v in values.items() if v is not None}
    if m["chair_person"]:
        keys.add(("meeting", "chair_person", person_key(m["chair_person"]["name"] or "")))
    return keys


def the_meeting(corpus: Corpus, doc: Doc) -> dict[str, Any] | None:
    """The meeting a document records: of the gold's kind, citing the document."""
    kind = doc.meeting_kind
    found = (
        [m for m in corpus.get("/meetings", **ALL, kind=kind)["items"] if cites(m, doc)]
        if kind
        else []
    )
    assert len(found) <= 1, f"{doc.name}: several {kind} meetings cite it: {found}"
    return found[0] if found else None


def docs_with(corpus: Corpus, kind: str) -> list[Doc]:
    return [d for d in corpus.docs if d.gold[kind]]


def report(misses: list[str]) -> str:
    return f"{len(misses)} gold fact(s) not answered:\n  " + "\n  ".join(misses)


# --- the tests ---------------------------------------------------------------------------------


def test_every_gold_holding_is_answered_with_its_passage(corpus: Corpus) -> None:
    posts = corpus.get("/coordinators", **ALL, role="any")["items"]
    roles = corpus.get("/presidencies", **ALL)["items"]
    misses = []
    checked = 0
    for doc in docs_with(corpus, "holdings"):
        for holder, post, area, meeting, years in sorted(doc.gold["holdings"]):
            checked += 1
            fact = f"{doc.name}: {holder} {post} {area or meeting or '(no meeting)'} {years}"
            if post in PRESIDENCY_ROLES:
                found = [
                    i
                    for i in roles
                    if i["role"] == post
                    and actor_key(i["state"]) == holder
                    and ((i["meeting"] or {}).get("label") or "") == meeting
                    and cites(i, doc)
                ]
            else:
                found = [
                    i
                    for i in posts
                    if i["role"] == post
                    and actor_key(i["state"]) == holder
                    and ((i["area"] or {}).get("slug") or slug(i["topic"] or "")) == area
                    and cites(i, doc)
                ]
            if not found:
                misses.append(f"{fact}: no item citing the document")
                continue
            stated = sorted({str(y) for i in found for y in i.get("mandate_years", [])})
            if " ".join(stated) != years:
                misses.append(f"{fact}: mandate years {stated}")
            misses += [f"{fact}: {bad}" for i in found for bad in bad_sources(i, corpus.docs)]
    assert checked > 0
    assert not misses, report(misses)


def test_every_gold_meeting_is_answered_with_its_fields_and_passage(corpus: Corpus) -> None:
    misses = []
    for doc in docs_with(corpus, "meeting"):
        found = the_meeting(corpus, doc)
        if found is None:
            misses.append(f"{doc.name}: no {doc.meeting_kind} meeting citing it")
            continue
        detail = corpus.get(f"/meetings/{found['id']}")
        got = meeting_keys(detail)
        misses += [
            f"{doc.name}: meeting {f}={v!r} (got {[g for _, gf, g in got if gf == f]})"
            for _, f, v in sorted(doc.gold["meeting"] - got)
        ]
        misses += [f"{doc.name}: meeting {bad}" for bad in bad_sources(detail, corpus.docs)]
    assert not misses, report(misses)


def test_every_gold_attendance_and_person_is_answered_with_its_passage(corpus: Corpus) -> None:
    misses = []
    checked = 0
    for doc in docs_with(corpus, "attendance"):
        found = the_meeting(corpus, doc)
        assert found is not None, f"{doc.name}: its meeting is not answered"
        present = {
            actor_key(p["actor"]): p
            for p in corpus.get(f"/meetings/{found['id']}")["present"]
            if cites(p, doc)
        }
        for (actor,) in sorted(doc.gold["attendance"]):
            checked += 1
            if actor not in present:
                misses.append(f"{doc.name}: {actor} present: not answered")
            else:
                misses += [
                    f"{doc.name}: {actor} {b}" for b in bad_sources(present[actor], corpus.docs)
                ]
        for actor, person, honorific, role in sorted(doc.gold["participants"]):
            checked += 1
            fact = f"{doc.name}: {person} ({honorific} {role}) in {actor}"
            persons = [
                p
                for p in (present.get(actor) or {}).get("persons", [])
                if person in corpus.person_keys(p["id"]) and cites(p, doc)
            ]
            if not persons:
                misses.append(f"{fact}: not answered")
                continue
            person_item = persons[0]
            if (norm_value(person_item["honorific"]), norm_value(person_item["role"])) != (
                honorific,
                role,
            ):
                misses.append(f"{fact}: got {person_item['honorific']!r} {person_item['role']!r}")
            misses += [f"{fact}: {bad}" for bad in bad_sources(person_item, corpus.docs)]
    assert checked > 0
    assert not misses, report(misses)


def test_every_gold_apology_is_answered_with_its_passage(corpus: Corpus) -> None:
    misses = []
    checked = 0
    for doc in docs_with(corpus, "apologies"):
        found = the_meeting(corpus, doc)
        assert found is not None, f"{doc.name}: its meeting is not answered"
        apologies = {
            (actor_key(a["actor"]), "received" if a["received"] else "not-received"): a
            for a in corpus.get(f"/meetings/{found['id']}")["apologies"]
            if cites(a, doc)
        }
        for key in sorted(doc.gold["apologies"]):
            checked += 1
            if key not in apologies:
                misses.append(f"{doc.name}: apology {key}: not answered")
            else:
                misses += [
                    f"{doc.name}: apology {key}: {b}"
                    for b in bad_sources(apologies[key], corpus.docs)
                ]
    assert checked > 0
    assert not misses, report(misses)


LISTS = ["/coordinators?role=any", "/presidencies", "/meetings", "/obligations", "/conflicts"]


@pytest.mark.parametrize("path", LISTS)
def test_every_source_of_a_list_is_a_slice_of_its_document(corpus: Corpus, path: str) -> None:
    response = corpus.client.get(path, params=ALL)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items, f"{path} answers nothing on the corpus"
    bad = []
    for item in items:
        for claim in item.get("claims") or []:  # conflicts: each side is a source
            bad += bad_sources({"sources": [claim]}, corpus.docs)
        bad += bad_sources(item, corpus.docs)
        if path != "/conflicts" and not item.get("sources"):
            bad.append(f"{item.get('id')}: no sources")
    assert not bad, "\n".join(bad)
