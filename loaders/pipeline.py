"""Read → extract → emit → validate → write, one document at a time, each all or nothing.

Guarantees:
- every file is read before anything is written: an unreadable file stops the load with an
  UnreadableFile naming it, and the store is unchanged;
- a document is written with ONE `store.replace_graphs` call into its own named graph
  `{base}graph/doc/{sha16}`, dropping in the same call the graph of an earlier version of the
  same file name (the catalogue is the store itself: `ccm:fileName` on each document node), so
  loading a file twice never duplicates it and a changed file replaces its old version;
- a document whose triples break a SHACL shape (ontology + shapes) is rejected, with the
  results, and not written; the others still load;
- unresolved names, conflicts and warnings are collected into the LoadReport, never fatal.
"""

from __future__ import annotations

import hashlib
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ccmkg.errors import InputError
from ccmkg.loaders.crossdoc import cross_document_conflicts
from ccmkg.loaders.emit import emit, graph_iri, ontology_graph_iri
from ccmkg.loaders.persons import (
    KnownPersons,
    PersonMatch,
    link_match_evidence,
    person_index,
    record_matches,
    resolve_persons,
)
from ccmkg.loaders.records import Extraction
from ccmkg.loaders.report import (
    DocumentOutcome,
    Finding,
    LoadReport,
    Rejection,
    ReviewFinding,
    Status,
)
from ccmkg.model.iri import IriScheme, base_with_slash
from ccmkg.model.namespaces import CCM_NS
from ccmkg.model.vocab import ontology_graph
from ccmkg.resources import shape_files
from ccmkg.settings import Settings
from ccmkg.store.base import Store

DOCUMENT_SUFFIXES = (".txt",)
MAX_REPORTED_RESULTS = 20

Extractor = Callable[[Path, bytes], Extraction]
Progress = Callable[[Path, int, int], None]  # (file just handled, done, total)

CATALOGUE_QUERY = f"""PREFIX ccm: <{CCM_NS}>
SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?d a ccm:Document ; ccm:fileName ?name }} }}"""


class UnreadableFile(InputError):
    """A path given to the loader cannot be read; nothing was written."""

    code = "unreadable-file"
    status = 400


@dataclass(frozen=True)
class Source:
    path: Path
    raw: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders as their documents (recursive, sorted); each path once.

    Raises:
        UnreadableFile: a path does not exist.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                # a dangling link is listed, so that reading it fails loudly, not silently
                if (p.is_file() or p.is_symlink())
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            found = [path]
        else:
            raise UnreadableFile(
                f"cannot read {path}: no such file or folder", hint="Check the path."
            )
        for p in found:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
    return out


def read_all(files: list[Path]) -> list[Source]:
    """Every file's bytes, before anything is written.

    Raises:
        UnreadableFile: naming the first file that cannot be read.
    """
    sources = []
    for path in files:
        try:
            sources.append(Source(path, path.read_bytes()))
        except OSError as exc:
            raise UnreadableFile(
                f"cannot read {path}: {exc.strerror or exc}",
                hint="Check that the file exists and that you may read it.",
            ) from exc
    return sources


# --- validation -----------------------------------------------------------------------------

# (document graph, other documents' nodes it links to) → (conforms, violation lines)
Validate = Callable[[Graph, Graph | None], tuple[bool, list[str]]]


@lru_cache(maxsize=1)
def default_validator() -> Validate:
    """The package's shapes + ontology, compiled once; no shapes → everything conforms."""
    if not shape_files():

        def conforms(graph: Graph, context: Graph | None = None) -> tuple[bool, list[str]]:
            return True, []

        return conforms
    from ccmkg.validation import package_validator

    validator = package_validator()

    def validate(graph: Graph, context: Graph | None = None) -> tuple[bool, list[str]]:
        if context is None or not len(context):
            report = validator.validate(graph)
        else:  # results about the borrowed nodes are the other documents' business
            focus = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
            report = validator.validate(graph, context=context, focus=focus)
        details = [
            f"{r.severity}: {r.focus}" + (f" {r.path}" if r.path else "") + f": {r.message}"
            for r in report.results
            if r.severity == "Violation"
        ]
        return report.conforms, details

    return validate


def ensure_ontology(store: Store, base: str) -> None:
    """Write the ontology into `{base}graph/ontology` unless the store already holds it as is."""
    iri = ontology_graph_iri(base)
    onto = ontology_graph()
    if store.graphs().get(iri) == len(onto) and isomorphic(store.graph_triples(iri), onto):
        return
    store.replace_graphs({iri: onto})


def catalogue(store: Store, base: str) -> dict[str, set[str]]:
    """File name → the document graphs already loaded from a file of that name."""
    prefix = IriScheme(base).prefix("document-graph")
    out: dict[str, set[str]] = defaultdict(set)
    for row in store.select(CATALOGUE_QUERY).rows:
        g, name = row.get("g"), row.get("name")
        if isinstance(g, URIRef) and str(g).startswith(prefix) and name is not None:
            out[str(name)].add(str(g))
    return out


def _default_extractor() -> Extractor:
    from ccmkg.loaders.extract import extract_document

    return extract_document


# --- the load -------------------------------------------------------------------------------


def load_paths(
    store: Store,
    settings: Settings,
    paths: Iterable[Path | str],
    progress: Progress | None = None,
    *,
    extractor: Extractor | None = None,
    validate: Validate | None = None,
) -> LoadReport:
    """Load documents (files or folders) into `store`, one atomic write per document.

    Raises:
        UnreadableFile: a path is missing or unreadable (nothing written).
        StoreError: the store failed; documents written before stay, the failing one does not.
    """
    base = base_with_slash(settings.base_iri)
    sources = read_all(expand(paths))
    extract = extractor or _default_extractor()
    check = validate or default_validator()
    report = LoadReport()
    ensure_ontology(store, base)
    known = catalogue(store, base)
    people = person_index(store)
    loaded_now: dict[str, Path] = {}
    for done, source in enumerate(sources, start=1):
        _load_one(store, base, source, extract, check, known, loaded_now, report, people)
        if progress is not None:
            progress(source.path, done, len(sources))
    return report


def _load_one(
    store: Store,
    base: str,
    source: Source,
    extract: Extractor,
    check: Validate,
    known: dict[str, set[str]],
    loaded_now: dict[str, Path],
    report: LoadReport,
    people: KnownPersons,
) -> None:
    """Extract, emit, validate and write one document; a failure rejects only this one."""
    path, sha = source.path, source.sha256
    try:
        extraction = extract(path, source.raw)
        # The pipeline is the authority on what file and which bytes this is.
        extraction.document.sha256 = sha
        extraction.document.file_name = path.name
        person_matches = resolve_persons(extraction, people)
        emitted = emit(extraction, base)
        record_matches(emitted.graph, person_matches, base, sha[:16], emitted.document)
    except Exception as exc:  # a document we cannot read must not stop the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        report.rejected.append(
            Rejection(
                path,
                f"could not be read as a CCM document: {type(exc).__name__}: {exc}",
                (f"raised at {Path(where.filename).name}:{where.lineno}",),
            )
        )
        return
    target = graph_iri(base, sha)
    previous = known.get(path.name, set())
    across, context = cross_document_conflicts(
        store, emitted.graph, {target, *previous}, IriScheme(base).prefix("document-graph"), base
    )
    emitted.conflicts.extend(across)
    seen_in, evidence = link_match_evidence(
        store, emitted.graph, {target, *previous}, IriScheme(base).prefix("document-graph")
    )
    context += evidence
    conforms, details = check(emitted.graph, context)
    if not conforms:
        shown = details[:MAX_REPORTED_RESULTS]
        more = len(details) - len(shown)
        report.rejected.append(
            Rejection(
                path,
                f"{len(details)} SHACL violation(s); nothing written for this file",
                tuple(shown) + ((f"… and {more} more",) if more > 0 else ()),
            )
        )
        return

    name = path.name
    stale = sorted(previous - {target})
    try:
        store.replace_graphs({target: emitted.graph}, delete=stale)
    except ValueError as exc:  # a term the store cannot hold: this document's problem only
        report.rejected.append(Rejection(path, f"the store refused its triples: {exc}"))
        return
    known[name] = {target}

    if name in loaded_now and loaded_now[name] != path:
        report.warnings.append(
            Finding(name, f"{path} replaced {loaded_now[name]} (same file name) in this load")
        )
    loaded_now[name] = path
    status: Status = "updated" if stale else ("reloaded" if target in previous else "new")
    report.documents.append(
        DocumentOutcome(
            path=path,
            file_name=name,
            sha256=sha,
            graph=target,
            status=status,
            triples=len(emitted.graph),
            facts=emitted.facts,
            replaced=tuple(stale),
        )
    )
    report.unresolved.extend(
        Finding(name, f"{u.kind} {u.name!r} → {u.iri} (review)", u.start)
        for u in emitted.unresolved
    )
    report.review.extend(
        ReviewFinding(name, u.name, u.kind, u.quote, u.start, u.iri) for u in emitted.unresolved
    )
    report.conflicts.extend(Finding(name, c) for c in emitted.conflicts)
    report.warnings.extend(Finding(name, w) for w in emitted.warnings)
    report.persons.extend(Finding(name, m.note, _start(m)) for m in person_matches)
    report.persons.extend(Finding(name, f"evidence: {line}") for line in seen_in)


def _start(match: PersonMatch) -> int | None:
    return match.passage.start if match.passage else None
