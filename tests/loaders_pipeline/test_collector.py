"""loaders/collector.py: the collector is eased for a load and given back as it was."""

from __future__ import annotations

import gc
import weakref

import pytest

from ccmkg.loaders.collector import YOUNG, eased


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_eased_then_restored_even_when_the_load_fails() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError), eased():
        assert gc.get_threshold()[0] >= YOUNG
        assert gc.get_freeze_count() > frozen  # what was alive is out of the collector's sight
        raise RuntimeError("a failed write")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_nested_loads_share_one_easing() -> None:
    before = gc.get_threshold()
    with eased():
        with eased():
            pass
        assert gc.get_threshold()[0] >= YOUNG  # the outer load still runs eased
    assert gc.get_threshold() == before


def test_garbage_made_during_a_load_is_still_collected() -> None:
    with eased():
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle only the collector frees
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
