"""ccmkg.sparql_guard: what is refused before any engine sees the text, and VALUES injection."""

from __future__ import annotations

import pytest

from ccmkg.errors import PayloadTooLarge, QueryRejected
from ccmkg.sparql_guard import (
    REMEMBER_MAX_CHARS,
    check_query,
    inject_values,
    nesting_depth,
    scan,
)

LIMITS = {"max_bytes": 10_000, "max_depth": 50}


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://x/> BASE <http://b/> ask { ?s ex:p ?o }", "ASK"),
        ("# comment with SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/>", "DESCRIBE"),
    ],
)
def test_query_forms(query: str, form: str) -> None:
    assert check_query(query, **LIMITS).form == form


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a> <b> <c> }",
        "PREFIX ex: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x/>",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryRejected) as err:
        check_query(update, **LIMITS)
    assert "read-only" in err.value.message


def test_not_a_query() -> None:
    with pytest.raises(QueryRejected):
        check_query("HELLO", **LIMITS)


def test_keywords_inside_strings_iris_and_comments_do_not_count() -> None:
    q = (
        'SELECT * WHERE { ?s ?p "SERVICE <http://evil/> {{{{" . '
        "?s ?p <http://x/FROM> # SERVICE <http://evil/>\n }"
    )
    info = check_query(q, **LIMITS)
    assert info.services == ()
    assert not info.has_dataset_clause
    assert info.depth == 1


def test_service_refused_unless_allowed() -> None:
    q = "SELECT * WHERE { SERVICE SILENT <http://dbpedia.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryRejected) as err:
        check_query(q, **LIMITS)
    assert "http://dbpedia.org/sparql" in err.value.message
    ok = check_query(q, **LIMITS, service_allowlist=["http://dbpedia.org/sparql"])
    assert ok.services == ("<http://dbpedia.org/sparql>",)
    with pytest.raises(QueryRejected):  # a variable endpoint can never be checked
        check_query("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", **LIMITS, service_allowlist=[])


def test_size_limit_in_bytes() -> None:
    q = "SELECT * WHERE { ?s ?p 'é' }"
    with pytest.raises(PayloadTooLarge) as err:
        check_query(q + " " * 100, max_bytes=len(q) + 50, max_depth=50)
    assert err.value.status == 413


@pytest.mark.parametrize(
    "deep",
    [
        "SELECT * WHERE " + "{" * 60 + "}" * 60,
        "SELECT * WHERE { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }",
        "SELECT * WHERE { FILTER(" + "!" * 60 + "true) }",
        "SELECT * WHERE { ?s ?p " + "[ <p> " * 60 + "1" + "]" * 60 + "}",
        "SELECT * WHERE " + "{" * 5000,  # unbalanced: still counted, never parsed
    ],
)
def test_depth_limit(deep: str) -> None:
    with pytest.raises(QueryRejected) as err:
        check_query(deep, **LIMITS)
    assert "levels deep" in err.value.message


def test_depth_is_counted_in_iris_too() -> None:
    assert nesting_depth("SELECT * { ?s ?p <http://x/((((> }") == 5


def test_from_graphs_are_resolved() -> None:
    info = scan(
        "PREFIX g: <http://g/> SELECT * FROM <http://g/1> FROM NAMED g:2 WHERE { ?s ?p ?o }"
    )
    assert info.from_graphs == ("http://g/1",)
    assert info.from_named_graphs == ("http://g/2",)


def test_values_go_to_the_start_of_the_outer_where_group() -> None:
    q = "SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a <p> ?b { SELECT ?b {} } } GROUP BY ?a"
    out = inject_values(q, "VALUES ?a { <x> }")
    assert out.index("VALUES") < out.index("?a <p> ?b") < out.index("GROUP BY")
    short = inject_values("CONSTRUCT WHERE { ?a <p> ?b }", "VALUES ?a { <x> }")
    assert short.startswith("CONSTRUCT { ?a <p> ?b } WHERE {")
    assert short.index("VALUES") > short.index("WHERE")


def test_a_remembered_pass_holds_only_for_the_limits_it_passed() -> None:
    q = "SELECT * WHERE { { ?s ?p ?o } }"
    assert check_query(q, **LIMITS).depth == 2
    assert check_query(q, **LIMITS).depth == 2  # remembered
    with pytest.raises(QueryRejected, match="levels deep"):
        check_query(q, max_bytes=10_000, max_depth=1)
    with pytest.raises(PayloadTooLarge):
        check_query(q, max_bytes=10, max_depth=50)
    service = "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }"
    assert check_query(service, **LIMITS, service_allowlist=["http://x/sparql"]).services
    with pytest.raises(QueryRejected, match="allow-list"):
        check_query(service, **LIMITS)


def test_a_refusal_is_made_afresh_each_time() -> None:
    q = "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }"
    for _ in range(3):
        with pytest.raises(QueryRejected, match="SERVICE"):
            check_query(q, **LIMITS)


def test_a_long_text_gets_the_same_verdict_unremembered() -> None:
    filler = "# " + "x" * (REMEMBER_MAX_CHARS + 10) + "\n"
    q = "SELECT * FROM <http://g/1> WHERE { ?s ?p ?o }"
    long, short = check_query(filler + q, max_bytes=10**6, max_depth=50), check_query(q, **LIMITS)
    assert long == short
    with pytest.raises(QueryRejected, match="levels deep"):
        check_query(filler + "SELECT * WHERE " + "{" * 60, max_bytes=10**6, max_depth=50)
