"""Issue 15 item 6: `ccmkg sparql` against either store, untruncated output when piped, and a
locked store that says how to get in. The CLI runs as a subprocess, stdout a pipe."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
from rdflib import Graph

from ccmkg.settings import Settings
from ccmkg.store import open_store

DOCS = """PREFIX ccm: <https://ccm-kg.org/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc ?title ?file WHERE {
  ?doc a ccm:Document ; dcterms:title ?title ; ccm:fileName ?file .
} ORDER BY ?doc"""


def ccmkg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80"}  # a narrow terminal: nothing piped may be cut to it
    return subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", *args], capture_output=True, text=True, env=env,
        input=stdin, timeout=120,
    )  # fmt: skip


def test_sparql_on_the_embedded_store_piped_is_never_cut(store_copy: Path) -> None:
    run = ccmkg("sparql", DOCS, "--store", str(store_copy))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "doc\ttitle\tfile"  # a table, piped, is TSV
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 5
    longest = max(rows, key=lambda r: len("\t".join(r)))
    assert len("\t".join(longest)) > 80  # a row wider than the terminal, printed whole
    assert all(r[0].startswith("https://ccm-kg.org/id/doc/") for r in rows)
    assert all(r[2].endswith(".txt") for r in rows)


def test_sparql_from_a_file_and_stdin_in_every_format(store_copy: Path, tmp_path: Path) -> None:
    query = tmp_path / "docs.rq"
    query.write_text(DOCS, encoding="utf-8")
    as_csv = ccmkg("sparql", "-f", str(query), "--format", "csv", "--store", str(store_copy))
    assert as_csv.returncode == 0, as_csv.stderr
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    as_json = ccmkg("sparql", "-", "--format", "json", "--store", str(store_copy), stdin=DOCS)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert table == records and len(records) == 5
    tsv = ccmkg("sparql", "-f", str(query), "--format", "tsv", "--store", str(store_copy))
    assert tsv.stdout.splitlines()[1].split("\t") == list(records[0].values())
    ask = ccmkg("sparql", "ASK { ?s a <https://ccm-kg.org/ontology#Document> }",
                "--store", str(store_copy))  # fmt: skip
    assert ask.returncode == 0 and ask.stdout.strip() == "true"
    built = ccmkg("sparql", "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t } LIMIT 2",
                  "--store", str(store_copy))  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert len(Graph().parse(data=built.stdout, format="turtle")) == 2


def test_sparql_over_http_answers_as_the_embedded_store(
    http: httpx.Client, store_copy: Path
) -> None:
    endpoint = f"{http.base_url}".rstrip("/") + "/sparql"
    remote = ccmkg("sparql", DOCS, "--format", "json", "--store", endpoint)
    local = ccmkg("sparql", DOCS, "--format", "json", "--store", str(store_copy))
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    # the project's prefixes are declared for a query that uses them without PREFIX lines
    short = DOCS.split("\n", 2)[2]
    assert "PREFIX" not in short
    bare = ccmkg("sparql", short, "--format", "json", "--store", endpoint)
    assert bare.returncode == 0, bare.stderr
    assert json.loads(bare.stdout) == json.loads(local.stdout)


def test_bad_queries_are_refused_before_the_store(store_copy: Path) -> None:
    for query, says in (
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SPARQL"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ):
        run = ccmkg("sparql", query, "--store", str(store_copy))
        assert run.returncode == 2 and says in run.stderr, run.stderr
    neither = ccmkg("sparql", "--store", str(store_copy))
    assert neither.returncode == 2 and "-f FILE" in neither.stderr


def test_a_locked_store_points_at_the_server(tmp_path: Path) -> None:
    location = tmp_path / "held"
    holder = open_store(Settings(store=str(location), query_workers=1))  # as a server would
    try:
        for args in (("sparql", "ASK { ?s ?p ?o }"), ("query", "meetings_list")):
            run = ccmkg(*args, "--store", str(location))
            assert run.returncode == 2
            said = " ".join(run.stderr.split())  # rich wraps stderr at the terminal width
            assert "locked" in said and "--store http://127.0.0.1:" in said, said
            assert "/sparql" in said
    finally:
        holder.close()


def test_named_query_tables_are_not_cut_when_piped(store_copy: Path) -> None:
    run = ccmkg("query", "meetings_list", "--store", str(store_copy))
    assert run.returncode == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    assert "\t" in header and rows
    assert max(len(r) for r in rows) > 80
    assert all(r.count("\t") == header.count("\t") for r in rows)
