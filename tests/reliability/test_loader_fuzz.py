"""Loader fuzz through the whole pipeline: mutated corpus BYTES → read, extract, emit, SHACL,
write. No exception escapes `load_paths`; every failure is a reported rejection or finding.

tests/loaders/test_read_extract.py already fuzzes `extract_document` with text mutations; this
extends it to bytes (invalid UTF-8, NUL, BOMs, CR, truncation, digits changed in dates) and to
the emit/validate/write stages, and checks the store afterwards. CCMKG_FUZZ_EXAMPLES raises
the number of examples (default small for CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmkg.errors import InputError
from ccmkg.loaders.emit import ontology_graph_iri
from ccmkg.loaders.pipeline import load_paths
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store

pytestmark = pytest.mark.slow  # fuzzing (hypothesis), like schemathesis

EXAMPLES = int(os.environ.get("CCMKG_FUZZ_EXAMPLES", "20"))
CORPUS = [p.read_bytes() for p in corpus_files()]
NOISE = [
    *(b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\x0c", b"\xc3", b"\xe2\x80"),
    *(b"\t", b"\xa0", b"\x1b[0m", b"\\", b"\n\n\n", b"2099", b"31 February", b"Page 3 of 2"),
]


def _error_names(cls: type) -> set[str]:
    out = {cls.__name__}
    for sub in cls.__subclasses__():
        out |= _error_names(sub)
    return out


# The exception types a loader may *report* for a document it cannot read; anything else
# (IndexError, KeyError, AttributeError…) is a bug wearing a rejection.
REPORTABLE = _error_names(InputError) | {"UnicodeDecodeError"}


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 2_000)))
        op = draw(st.sampled_from(["cut", "dup", "noise", "bytes", "digits", "upper", "splice",
                                   "truncate", "swap"]))  # fmt: skip
        if op == "cut":
            data = data[:i] + data[j:]
        elif op == "dup":
            data = data[:j] + data[i:j] * draw(st.integers(1, 3)) + data[j:]
        elif op == "noise":
            data = data[:i] + draw(st.sampled_from(NOISE)) + data[i:]
        elif op == "bytes":
            data = data[:i] + draw(st.binary(max_size=24)) + data[j:]
        elif op == "digits":
            digit = draw(st.sampled_from(b"0123456789"))
            data = data[:i] + bytes(digit if 48 <= b <= 57 else b for b in data[i:j]) + data[j:]
        elif op == "upper":
            data = data[:i] + data[i:j].upper() + data[j:]
        elif op == "splice":
            other = draw(st.sampled_from(CORPUS))
            k = draw(st.integers(0, len(other)))
            data = data[:i] + other[k : k + (j - i)] + data[i:]
        elif op == "truncate":
            data = data[:i]
        else:
            lines = data.split(b"\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            data = b"\n".join(lines)
    return data


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Settings, Path]]:
    tmp = tmp_path_factory.mktemp("fuzz")
    s = Settings(store=str(tmp / "store"), query_workers=1)
    store = open_store(s)
    yield store, s, tmp
    store.close()


@settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)  # fmt: skip
@given(data=mutated())
def test_mutated_documents_never_crash_the_load(
    fuzz_store: tuple[Store, Settings, Path], data: bytes
) -> None:
    store, s, tmp = fuzz_store
    doc = tmp / "fuzzed.txt"  # one file name: each load replaces the previous version
    doc.write_bytes(data)
    report = load_paths(store, s, [doc])  # must not raise

    assert len(report.documents) + len(report.rejected) == 1
    for rejection in report.rejected:
        assert rejection.reason, rejection
        if "could not be read" in rejection.reason:
            kind = rejection.reason.split(": ", 2)[1] if ": " in rejection.reason else ""
            assert kind in REPORTABLE, f"a crash reported as a rejection: {rejection}"
        else:
            assert "SHACL" in rejection.reason, rejection
    for finding in report.warnings + report.unresolved + report.conflicts:
        assert finding.file_name == doc.name and finding.message
    # The store holds the ontology and at most one version of the file, each graph whole.
    graphs = store.graphs()
    docs = [g for g in graphs if "/graph/doc/" in g]
    assert len(docs) <= 1
    assert ontology_graph_iri(s.base_iri) in graphs
    if report.documents:
        outcome = report.documents[0]
        assert docs == [outcome.graph] and graphs[outcome.graph] == outcome.triples
