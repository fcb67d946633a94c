"""A fresh store directory bulk-loaded in the background, piece by piece, for a swap.

Why: `EmbeddedStore.swap_in` exchanges a freshly bulk-loaded directory with the store's (the
loader's one-piece first load). Built all at once at the end of a load, the bulk load waits
for the last document and the loader waits for it; fed piece by piece while the documents are
prepared, it runs beside the loader in a thread (pyoxigraph releases the GIL while it loads),
and only the last piece (with its share of the default graph, the de-duplicated union of
the new graphs) and what the store held already are left for the commit. Nothing of it is
visible before the exchange: a kill leaves the directory half-built beside the store,
removed at the next open.
"""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from ccmkg.errors import BadParameter, StoreError

PIECE_BYTES = 16 * 2**20  # N-Quads per background bulk_load: few SST files, a steady feed


def check_text(graph: str, text: str) -> ox.NamedNode:
    """The graph's name as a term, once its text is known to be one triple per line.

    Raises:
        BadParameter: the graph name is not an IRI, or a line is not one triple ending " .".
    """
    try:
        iri = ox.NamedNode(graph)
    except ValueError as exc:
        raise BadParameter(f"Not a valid graph IRI: {graph!r} ({exc})") from exc
    if not text.endswith(" .\n") or text.count("\n") != text.count(" .\n"):
        raise BadParameter(f"not N-Triples with one triple per line: graph {graph}")
    return iri


Piece = list[tuple[ox.NamedNode, str]]  # graphs and their N-Triples


class FreshBuild:
    """New named graphs (N-Triples text) bulk-loaded into `path`, in a thread, by pieces.

    The thread also turns the texts into N-Quads and loads the default graph with each piece
    (the triples no earlier piece gave): work the loading process leaves to it (it runs
    while the loader waits for its own workers). A triple the store already held may come
    again in a piece: `bulk_load` of a quad already loaded keeps one (a set of quads).
    """

    def __init__(self, path: Path, piece_bytes: int = PIECE_BYTES) -> None:
        self.path, self.piece_bytes = path, piece_bytes
        self.graphs: list[str] = []
        self._piece: Piece = []
        self._piece_size = 0
        self._pieces: queue.Queue[Piece | bytes | None] = queue.Queue(maxsize=4)
        self._union: set[bytes] = set()  # default-graph lines loaded so far (the thread's)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self.released = False  # set by the store once the build is over

    @property
    def empty(self) -> bool:
        return not self.graphs

    def add(self, graph: str, text: str, checked: ox.NamedNode | None = None) -> None:
        """Queue one new graph (empty text: nothing to write). `checked`: the graph's name as
        `check_text` returned it, when the caller checked the text already (it reads all of it).

        Raises:
            BadParameter: see `check_text`; nothing was queued.
        """
        if not text:
            return
        iri = checked if checked is not None else check_text(graph, text)
        self.graphs.append(graph)
        self._piece.append((iri, text))
        self._piece_size += len(text)
        if self._piece_size >= self.piece_bytes:
            self._send(self._piece)
            self._piece, self._piece_size = [], 0

    def finish(self, held: bytes) -> None:
        """Load the last piece (with its share of the default graph) and `held` (what the
        store holds now, as N-Quads), and wait until the directory is whole and closed.

        Raises:
            StoreError: the build failed; its directory is removed.
        """
        self._send(self._piece)
        self._piece = []
        self._pieces.put(held)  # the thread's last load
        self._pieces.put(None)
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            self.abandon()
            raise StoreError(f"The write failed and nothing was stored: {self._error}")

    def abandon(self) -> None:
        """Stop the build and remove its directory (nothing of it was visible)."""
        if self._thread is not None and self._thread.is_alive():
            if self._error is None:
                self._error = StoreError("the build was abandoned")  # the thread skips the rest
            self._pieces.put(None)
            self._thread.join()
        shutil.rmtree(self.path, ignore_errors=True)

    def _send(self, piece: Piece) -> None:
        if self._thread is None:
            shutil.rmtree(self.path, ignore_errors=True)
            self._thread = threading.Thread(target=self._run, name="fresh-build", daemon=True)
            self._thread.start()
        self._pieces.put(piece)

    def _quads(self, item: Piece | bytes) -> bytes:
        """N-Quads to load for one item: a piece's named graphs with the default-graph triples
        no earlier piece gave (so the default graph is loaded piece by piece too, each triple
        once, not all at the commit), or (last) `held` as it is.

        Worked on as bytes, each text encoded once: a str holding one non-ASCII character is
        stored with 2 or 4 bytes per character, so that joining the piece's texts into one str
        and encoding it copied and transcoded every document again (~40% of this step)."""
        if isinstance(item, bytes):
            self._union = set()
            return item
        parts: list[bytes] = []
        lines: set[bytes] = set()
        for iri, text in item:
            data = text.encode("utf-8")
            lines.update(data.splitlines(keepends=True))
            parts.append(data.replace(b" .\n", f" {iri} .\n".encode()))
        new = lines - self._union
        self._union |= new
        parts.extend(new)
        return b"".join(parts)

    def _run(self) -> None:
        store: ox.Store | None = None
        ended = False  # the end of the feed (None) was read
        try:
            store = ox.Store(str(self.path))
            while (item := self._pieces.get()) is not None:
                if self._error is None:
                    store.bulk_load(self._quads(item), format=ox.RdfFormat.N_QUADS)
            ended = True
            if self._error is None:
                store.flush()
        except (OSError, SyntaxError, ValueError) as exc:
            self._error = exc
            while not ended and self._pieces.get() is not None:  # `finish` waits for the end
                pass
        finally:
            del store  # closes it: RocksDB writes nothing more into the directory
