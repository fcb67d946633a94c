"""`bind: values` and `bind: marked` in a query's header: the same rows as pyoxigraph's
substitution, bound the way the planner can start from (ccmkg/catalogue.py NamedQuery.bind)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from ccmkg.api.rest.runner import Queries
from ccmkg.catalogue import VALUES_MARK, Catalogue, parse_query_file, to_records
from ccmkg.errors import InputError
from ccmkg.loaders.reference.load import ReferenceReport
from ccmkg.settings import Settings
from ccmkg.store import Rows, Store, open_store
from devtools.rel_support import copy_store

CATALOGUE = Catalogue.load()
BY_VALUES = sorted(q.name for q in CATALOGUE.queries.values() if q.bind in ("values", "marked"))
MARKED = sorted(q.name for q in CATALOGUE.queries.values() if q.bind == "marked")


@pytest.fixture(scope="module")
def loaded(
    corpus_reference_template: tuple[Path, ReferenceReport],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Store]:
    location = copy_store(corpus_reference_template[0], tmp_path_factory.mktemp("bind") / "s")
    store = open_store(Settings(store=str(location), query_workers=1))
    yield store
    store.close()


def test_some_queries_bind_by_values() -> None:
    assert BY_VALUES, "no query header says bind: values"


@pytest.mark.parametrize("name", BY_VALUES)
def test_values_and_substitution_give_the_same_rows(loaded: Store, name: str) -> None:
    query = CATALOGUE.get(name)
    bindings = CATALOGUE.bindings(name, query.example)
    by_values = to_records(CATALOGUE.run(loaded, name, query.example))
    substituted = to_records(loaded.select(query.text, bindings=bindings))
    assert _multiset(by_values) == _multiset(substituted)  # a query without ORDER BY


def _multiset(records: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def test_the_deadlines_of_a_state_are_found_by_values(loaded: Store) -> None:
    rows = CATALOGUE.run(loaded, "api_deadlines", {"state": "LAO"}).rows
    assert rows and {str(r["iso3"]) for r in rows} == {"LAO"}


def test_some_queries_bind_at_marks() -> None:
    assert MARKED, "no query header says bind: marked"


@pytest.mark.parametrize("name", MARKED)
def test_a_marked_query_binds_at_each_mark(loaded: Store, name: str) -> None:
    """Every mark of the text gets the block (a mark left unbound would answer every State or
    area in that branch), and the answer is the substituted one for a value with rows too."""
    query = CATALOGUE.get(name)
    assert query.text.count(VALUES_MARK) >= 1
    fixed = {p.name: query.example[p.name] for p in query.params if p.required}
    param = next((p.name for p in query.params if not p.required), None)
    if param is None:  # every parameter required: the example, as substitution answers it
        bound = to_records(CATALOGUE.run(loaded, name, fixed))
        bindings = CATALOGUE.bindings(name, fixed)
        assert bound and _multiset(bound) == _multiset(
            to_records(loaded.select(query.text, bindings=bindings))
        )
        return
    everyone = to_records(CATALOGUE.run(loaded, name, fixed))
    for value in _values_with_rows(everyone, param):
        asked = {**fixed, param: value}
        bound = to_records(CATALOGUE.run(loaded, name, asked))
        substituted = to_records(
            loaded.select(query.text, bindings=CATALOGUE.bindings(name, asked))
        )
        assert bound and _multiset(bound) == _multiset(substituted)
        assert len(everyone) > len(bound), "the value did not restrict every branch"


def test_run_for_binds_a_marked_query_at_each_mark(loaded: Store) -> None:
    """`Queries.run_for` (a list's page of persons in one query) gives the rows of each person
    asked alone; its VALUES rows go at every mark, as `run` puts its block there."""
    settings = Settings(base_iri=CATALOGUE.base_iri)
    sent: list[str] = []

    class Recording:  # the real store; only the texts it is asked are kept
        def select(self, text: str, **kwargs: Any) -> Rows:
            sent.append(text)
            return loaded.select(text, **kwargs)

    everyone = to_records(CATALOGUE.run(loaded, "api_persons", {}))
    persons = _values_with_rows(everyone, "person")
    assert len(persons) > 1
    queries = Queries(store=cast(Store, Recording()), settings=settings)
    together = to_records(queries.run_for("api_persons", "person", persons))
    alone = [
        r for p in persons for r in to_records(CATALOGUE.run(loaded, "api_persons", {"person": p}))
    ]
    assert together and _multiset(together) == _multiset(alone)
    assert VALUES_MARK not in sent[-1] and sent[-1].count("VALUES (?person)") == 2


def _values_with_rows(records: list[dict], param: str) -> list[str]:
    """A few values of `param` that these rows answer (a State's IRI: the parameter takes it)."""
    found = sorted({str(r[param]) for r in records if r.get(param)})
    assert found, f"no {param} answered on the corpus"
    return found[:3]


def test_a_marked_query_without_a_mark_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# columns: {s: x}\n# bind: marked\nSELECT ?s WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError, match="needs a '#@values' line"):
        parse_query_file(path)


def test_an_unknown_binding_mode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# columns: {s: x}\n# bind: magic\nSELECT ?s WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError, match="bind must be one of"):
        parse_query_file(path)
