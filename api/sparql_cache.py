"""/sparql answers kept until the next committed write, each with an ETag.

Why: a read-mostly endpoint gets the same queries again and again (a dashboard, the web page,
a crawler); an answer computed once per state of the data is served from memory, and a client
that holds it already gets 304 Not Modified.

An entry is keyed by the data generation (bumped by every committed write of the embedded
store), the query text, the dataset parameters and the Accept header: after a write no lookup
can find an older answer. A remote store's data can change behind our back, so it has no
generation and nothing is cached for it. The cache is bounded in bytes (CCMKG_SPARQL_CACHE_MB,
0 turns it off: answers and keys, least recently used first out; an answer over an eighth of
it is not kept.
Only answers are kept: every refusal and limit is met again by the next request. Used from
the event loop only, so it needs no lock.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from ccmkg.store import ProtocolResult

Key = tuple[int, str, tuple[str, ...], tuple[str, ...], str]


@dataclass(frozen=True)
class Cached:
    result: ProtocolResult
    etag: str  # a strong validator: a digest of the body, quoted


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


class AnswerCache:
    """Least recently used answers, at most `max_bytes` of answers and keys."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._generation = 0
        self._entries: OrderedDict[Key, Cached] = OrderedDict()

    def get(self, key: Key) -> Cached | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, result: ProtocolResult, etag: str) -> None:
        """Keep `result` under `key`, unless it is too large or already stale. A newer
        generation drops every answer of the older ones."""
        generation = key[0]
        size = _cost(key, result)
        if generation < self._generation or size > self.max_bytes // 8:
            return
        if generation > self._generation:
            self._entries.clear()
            self.size = 0
            self._generation = generation
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= _cost(key, old.result)
        self._entries[key] = Cached(result, etag)
        self.size += size
        while self.size > self.max_bytes:
            dropped_key, dropped = self._entries.popitem(last=False)
            self.size -= _cost(dropped_key, dropped.result)


def _cost(key: Key, result: ProtocolResult) -> int:
    """The bytes an entry holds: its answer and its key (a query text can be 100 KB)."""
    _, query, default_graphs, named_graphs, accept = key
    graphs = sum(len(g) for g in default_graphs) + sum(len(g) for g in named_graphs)
    return len(result.body) + len(query) + graphs + len(accept)
