"""Read → extract → emit → validate → write, in input order, each document all or nothing.

Guarantees:
- every file is read before anything is written: an unreadable file stops the load with an
  UnreadableFile naming it, and the store is unchanged;
- each document goes into its own named graph `{base}graph/doc/{sha16}`. A new document is
  staged and written with the others of its batch in ONE `store.add_graphs` call (the bulk
  path: all of the batch or none of it) — or, for a large first load into a store holding no
  document, all documents in one piece, bulk-loaded into a fresh store directory that is
  swapped in atomically (`EmbeddedStore.swap_in_graphs`); a document that replaces a graph
  (an earlier version of the same file name — the catalogue is the store itself:
  `ccm:fileName` on each document node — or the same bytes again) is written alone with ONE
  `store.replace_graphs` call that drops the old graph, so loading a file twice never
  duplicates it. Lookups across documents
  (conflicts, persons) see the staged documents too (the part of each they can match:
  `loaders/lookups.py`), so all paths give the same graphs;
- extraction (a pure function of the bytes) runs in worker processes, results in input order;
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
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ccmkg.errors import BadParameter, InputError
from ccmkg.loaders.checking import (
    Validate,
    Verdict,
    check_text,
    compile_shapes,
    default_validator,
    subjects_of,
)
from ccmkg.loaders.collector import eased
from ccmkg.loaders.crossdoc import PassageCache, cross_document_conflicts, staged_claims
from ccmkg.loaders.emit import Emitted, emit, emit_set, graph_iri, ontology_graph_iri
from ccmkg.loaders.lookups import lookup_part
from ccmkg.loaders.parallel import (
    Emission,
    Extracted,
    Extractor,
    default_workers,
    extract_all,
    person_keys,
)
from ccmkg.loaders.persons import (
    KnownPersons,
    PersonMatch,
    link_match_evidence,
    person_index,
    record_matches,
    resolve_persons,
)
from ccmkg.loaders.report import (
    DocumentOutcome,
    Finding,
    LoadReport,
    Rejection,
    ReviewFinding,
    Status,
)
from ccmkg.loaders.tripleset import NTriplesWriter, TripleSet, ntriples
from ccmkg.model.iri import IriScheme, base_with_slash
from ccmkg.model.namespaces import CCM_NS
from ccmkg.model.vocab import ontology_graph
from ccmkg.settings import Settings
from ccmkg.store.base import Lookup, Store
from ccmkg.store.rdfterms import graph_from_triples
from ccmkg.store.staging import Staging, triples_of

DOCUMENT_SUFFIXES = (".txt",)
MAX_REPORTED_RESULTS = 20

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


# --- validation: loaders/checking.py -------------------------------------------------------


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


# --- the load -------------------------------------------------------------------------------


def load_paths(
    store: Store,
    settings: Settings,
    paths: Iterable[Path | str],
    progress: Progress | None = None,
    *,
    extractor: Extractor | None = None,
    validate: Validate | None = None,
    batch: int | None = None,
) -> LoadReport:
    """Load documents (files or folders) into `store`, each all or nothing.

    New documents are written by batches of `batch` (default `settings.load_batch`), each
    batch in one all-or-nothing `Store.add_graphs` call — or, when the store holds no
    document yet and at least `settings.load_swap_min` files are given, all in one piece:
    bulk-loaded into a fresh store directory swapped in atomically (where the store can,
    `SwapStore`); a document that replaces a graph
    already in the store (a changed or reloaded file) is written on its own with
    `replace_graphs`, after the batch before it. Both paths give the same graphs.

    Raises:
        UnreadableFile: a path is missing or unreadable (nothing written).
        StoreError: the store failed; documents (batches) written before stay, the failing
            document (batch) does not.
    """
    base = base_with_slash(settings.base_iri)
    sources = read_all(expand(paths))
    check = validate or default_validator()
    ensure_ontology(store, base)
    known = catalogue(store, base)
    # A large load into a store holding no document yet: one piece, bulk-loaded and swapped in.
    swap = not known and len(sources) >= settings.load_swap_min
    loader = _Loader(
        store, base, check, known, person_index(store),
        batch or settings.load_batch, progress, len(sources), swap,
    )  # fmt: skip
    loader.light = validate is None  # the package's shapes: emit into sets, check text
    workers = settings.load_workers or default_workers()
    speculate = extractor is None and validate is None  # the package's own reading and shapes
    if speculate:
        compile_shapes()  # before the workers fork: they share it
    extracted = extract_all(
        [(s.path, s.raw) for s in sources],
        workers,
        extractor,
        emit_base=base if speculate else None,
    )
    try:
        with eased():  # fewer garbage collections while documents pile up (collector.py)
            for source, result in zip(sources, extracted, strict=True):
                loader.load(source, result)
            loader.commit()
    finally:
        loader.staging.discard()  # what a failed commit left staged (and its fresh store)
    return loader.report


@dataclass
class _Prepared:
    """A document ready to write, with what the report says about it once it is written."""

    source: Source
    target: str
    previous: set[str]
    emitted: Emitted  # its graph is empty when the document was emitted by a worker
    count: int  # triples
    matches: list[PersonMatch]
    seen_in: list[str]
    ntriples: str | None = None  # set when emitted by a worker
    looked_up: str | None = None  # the part lookups read (`loaders/lookups.py`), if known

    def text(self) -> str:
        """N-Triples as pyoxigraph writes them (what the store takes without Python terms),
        always by `NTriplesWriter` (the worker's, the re-emitted and the added triples alike):
        every line is made of terms pyoxigraph checked, so it parses.

        Raises:
            ValueError: a term the store cannot hold.
        """
        if self.ntriples is None:
            self.ntriples = ntriples(self.emitted.graph)
        return self.ntriples

    def graph(self) -> Graph:
        if self.ntriples is None:
            return self.emitted.graph
        return graph_from_triples(triples_of(self.ntriples))


class _Loader:
    """One load: documents in input order, new ones staged and committed by batch."""

    def __init__(
        self,
        store: Store,
        base: str,
        check: Validate,
        known: dict[str, set[str]],
        people: KnownPersons,
        batch: int,
        progress: Progress | None,
        total: int,
        swap: bool = False,
    ) -> None:
        self.store, self.base, self.check = store, base, check
        self.known, self.people, self.batch = known, people, batch
        self.held = {g for gs in known.values() for g in gs}  # document graphs in the store
        # conflicts with the staged documents are looked up in memory (`loaders/claims.py`)
        self.staging = Staging(store, swap=swap, index=staged_claims())
        self.staged: list[_Prepared] = []
        self.waiting: list[Path] = []  # handled since the last commit, for `progress`
        self.progress, self.total, self.done = progress, total, 0
        self.loaded_now: dict[str, Path] = {}
        self.report = LoadReport()
        self.prefix = IriScheme(base).prefix("document-graph")
        self.passages: PassageCache = {}  # other documents' passages, looked up once
        self.light = False  # emit into a TripleSet, checked as text (the package's validator)

    def load(self, source: Source, extracted: Extracted) -> None:
        """Prepare one document; stage it if new, else commit the batch and write it alone."""
        path, sha = source.path, source.sha256
        target = graph_iri(self.base, sha)
        previous = self.known.get(path.name, set())
        bulk = self.batch > 1 and not previous and target not in self.held
        if not bulk:
            self.commit()  # what this one replaces or compares with must be in the store
        lookup: Lookup = self.staging if bulk else self.store
        prepared = self._prepare(source, extracted, target, previous, lookup)
        if prepared is not None and bulk:
            try:
                # written by NTriplesWriter: every line parses (see `Staging.add`)
                self.staging.add(target, prepared.text(), prepared.looked_up, parses=True)
            except (ValueError, BadParameter) as exc:  # a term the store cannot hold
                self._reject(path, f"the store refused its triples: {exc}")
            else:
                self.known[path.name] = {target}
                self.held.add(target)
                self.staged.append(prepared)
        elif prepared is not None:
            self._write_alone(prepared)
        self.waiting.append(path)
        if not bulk or (not self.staging.swap and len(self.staging) >= self.batch):
            self.commit()

    def commit(self) -> None:
        """Write the staged batch (all or nothing), then report it and its files' progress.

        Raises:
            StoreError: nothing of the batch was written.
        """
        if self.staging.commit():
            self.staging.swap = False  # the store holds documents now: by batches from here on
        for prepared in self.staged:
            self._record(prepared)
        self.staged = []
        for path in self.waiting:
            self.done += 1
            if self.progress is not None:
                self.progress(path, self.done, self.total)
        self.waiting = []

    def _reject(self, path: Path, reason: str, details: tuple[str, ...] = ()) -> None:
        self.report.rejected.append(Rejection(path, reason, details))

    def _prepare(
        self,
        source: Source,
        extracted: Extracted,
        target: str,
        previous: set[str],
        lookup: Lookup,
    ) -> _Prepared | None:
        """Emit and validate one document against what is loaded (staged included)."""
        path, sha = source.path, source.sha256
        emission = None
        try:
            extraction = extracted.extraction
            if extraction is None:
                raise _Failed(extracted.error, extracted.where)
            # The pipeline is the authority on what file and which bytes this is.
            extraction.document.sha256 = sha
            extraction.document.file_name = path.name
            person_matches = resolve_persons(extraction, self.people)
            emission = extracted.emission
            # Flagged pairs alone (no person re-keyed or merged) only add PersonMatch nodes:
            # the worker's graph stays right, with the package's own checks.
            flags_only = self.light and all(m.decision != "merged" for m in person_matches)
            if (
                emission is None
                or (person_matches and not flags_only)
                or person_keys(extraction) != emission.person_keys
            ):
                emission = None  # the worker's graph is not this one: emit it here
                graph: Graph | TripleSet
                if self.light:
                    emitted, graph = emit_set(extraction, self.base)
                else:
                    emitted = emit(extraction, self.base)
                    graph = emitted.graph
                record_matches(graph, person_matches, self.base, sha[:16], emitted.document)
        except Exception as exc:  # a document we cannot read must not stop the others
            if isinstance(exc, _Failed):
                message, where = exc.args
            else:
                at = traceback.extract_tb(exc.__traceback__)[-1]
                message = f"{type(exc).__name__}: {exc}"
                where = f"{Path(at.filename).name}:{at.lineno}"
            self._reject(
                path,
                f"could not be read as a CCM document: {message}",
                (f"raised at {where}",),
            )
            return None
        exclude = {target, *previous}
        if emission is not None:
            prepared, verdict = self._from_worker(
                source, target, previous, emission, lookup, person_matches
            )
        else:
            across, context = cross_document_conflicts(
                lookup, graph, exclude, self.prefix, self.base, self.passages
            )
            emitted.conflicts.extend(across)
            seen_in, evidence = link_match_evidence(
                lookup, graph, exclude, self.prefix, self.passages
            )
            context += evidence  # N-Triples
            text = looked_up = None
            if isinstance(graph, TripleSet):  # the package's shapes: checked as text
                writer = NTriplesWriter()
                try:
                    text = writer.text(graph)
                except (ValueError, BadParameter) as exc:
                    self._reject(path, f"the store refused its triples: {exc}")
                    return None
                verdict = check_text(text, subjects_of(graph), context)
                looked_up = lookup_part(graph, writer).text
            else:
                borrowed = graph_from_triples(triples_of(context)) if context else None
                verdict = self.check(graph, borrowed)
            count = len(graph)
            prepared = _Prepared(
                source, target, previous, emitted, count, person_matches, seen_in, text, looked_up
            )
        conforms, details = verdict
        if not conforms:
            shown = details[:MAX_REPORTED_RESULTS]
            more = len(details) - len(shown)
            self._reject(
                path,
                f"{len(details)} SHACL violation(s); nothing written for this file",
                tuple(shown) + ((f"… and {more} more",) if more > 0 else ()),
            )
            return None
        return prepared

    def _from_worker(
        self,
        source: Source,
        target: str,
        previous: set[str],
        em: Emission,
        lookup: Lookup,
        matches: list[PersonMatch],
    ) -> tuple[_Prepared, Verdict]:
        """A document a worker emitted and checked, with no person re-keyed: only conflicts
        with other documents (from its meeting triples) and the pairs of persons flagged for
        review (`matches`, with their evidence) are added here, and the document is checked
        again only if they added something."""
        exclude = {target, *previous}
        meetings = TripleSet()
        for triple in em.meeting_triples():
            meetings.add(triple)
        before = set(meetings)
        across, context = cross_document_conflicts(
            lookup, meetings, exclude, self.prefix, self.base, self.passages
        )
        added = TripleSet()
        for triple in meetings:
            if triple not in before:
                added.add(triple)
        seen_in: list[str] = []
        if matches:
            sha = source.sha256
            record_matches(added, matches, self.base, sha[:16], em.emitted.document)
            seen_in, evidence = link_match_evidence(
                lookup, added, exclude, self.prefix, self.passages
            )
            context += evidence
        text = em.ntriples + (ntriples(added) if len(added) else "")
        verdict = em.verdict
        if len(added) or len(context):
            verdict = check_text(text, em.subjects | set(subjects_of(added)), context)
        em.emitted.conflicts.extend(across)
        count = em.count + len(added)
        looked_up = em.lookup.text if em.lookup.covers(added) else None  # else: all of it
        prepared = _Prepared(
            source, target, previous, em.emitted, count, matches, seen_in, text, looked_up
        )
        return prepared, verdict

    def _write_alone(self, prepared: _Prepared) -> None:
        """One `replace_graphs` call: the document, and its earlier versions dropped."""
        path, target = prepared.source.path, prepared.target
        stale = sorted(prepared.previous - {target})
        try:
            self.store.replace_graphs({target: prepared.graph()}, delete=stale)
        except ValueError as exc:  # a term the store cannot hold: this document's problem only
            self._reject(path, f"the store refused its triples: {exc}")
            return
        self.held -= set(stale)
        self.held.add(target)
        self.known[path.name] = {target}
        self._record(prepared)

    def _record(self, prepared: _Prepared) -> None:
        """The report's lines for one document just written."""
        path, emitted = prepared.source.path, prepared.emitted
        name, target = path.name, prepared.target
        stale = sorted(prepared.previous - {target})
        if name in self.loaded_now and self.loaded_now[name] != path:
            earlier = self.loaded_now[name]
            self.report.warnings.append(
                Finding(name, f"{path} replaced {earlier} (same file name) in this load")
            )
        self.loaded_now[name] = path
        status: Status = (
            "updated" if stale else ("reloaded" if target in prepared.previous else "new")
        )
        report = self.report
        report.documents.append(
            DocumentOutcome(
                path=path,
                file_name=name,
                sha256=prepared.source.sha256,
                graph=target,
                status=status,
                triples=prepared.count,
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
        report.persons.extend(Finding(name, m.note, _start(m)) for m in prepared.matches)
        report.persons.extend(Finding(name, f"evidence: {line}") for line in prepared.seen_in)


class _Failed(Exception):
    """Extraction failed in a worker: its message and where it was raised."""


def _start(match: PersonMatch) -> int | None:
    return match.passage.start if match.passage else None
