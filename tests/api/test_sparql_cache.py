"""ccmkg.api.sparql_cache: bounded in bytes, least recently used out, one generation at a time."""

from __future__ import annotations

from ccmkg.api.sparql_cache import AnswerCache, Key, etag_of, matches
from ccmkg.store import ProtocolResult

JSON = "application/sparql-results+json"


def _key(query: str, generation: int = 1) -> Key:
    return (generation, query, (), (), JSON)


def _answer(size: int) -> ProtocolResult:
    return ProtocolResult(body=b"x" * size, media_type=JSON, truncated=False)


def _put(cache: AnswerCache, key: Key, size: int) -> None:
    cache.put(key, _answer(size), etag_of(b"x" * size))


def test_bounded_in_bytes_least_recently_used_out() -> None:
    cache = AnswerCache(max_bytes=800)
    for name in "abcdefgh":  # 100 bytes each, the key's text and media type included
        _put(cache, _key(name), 100 - 1 - len(JSON))
    assert cache.size == 800
    assert cache.get(_key("a")) is not None  # now the most recently used
    _put(cache, _key("i"), 100 - 1 - len(JSON))
    assert cache.size == 800
    assert cache.get(_key("b")) is None  # the least recently used went first
    assert cache.get(_key("a")) is not None and cache.get(_key("i")) is not None


def test_an_answer_over_an_eighth_of_the_cache_is_not_kept() -> None:
    cache = AnswerCache(max_bytes=800)
    _put(cache, _key("big"), 80)
    _put(cache, _key("long query " * 10), 10)  # a long text counts too
    assert cache.get(_key("big")) is None and cache.size == 0
    assert cache.get(_key("long query " * 10)) is None


def test_a_newer_generation_drops_the_older_answers_and_refuses_stale_ones() -> None:
    cache = AnswerCache(max_bytes=800)
    _put(cache, _key("a", 1), 10)
    _put(cache, _key("b", 2), 10)
    assert cache.get(_key("a", 1)) is None and cache.get(_key("b", 2)) is not None
    _put(cache, _key("late", 1), 10)  # computed before the write that made 2
    assert cache.get(_key("late", 1)) is None


def test_etags_follow_the_body_and_if_none_match_is_read_as_a_list() -> None:
    one = etag_of(b"x" * 10)
    assert one == etag_of(b"x" * 10) != etag_of(b"x" * 11)
    assert one.startswith('"') and one.endswith('"')
    assert matches(f'"other", W/{one}', one)
    assert matches("*", one)
    assert not matches('"other"', one) and not matches(None, one)
