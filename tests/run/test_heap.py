"""FrozenHeap: the heap is frozen while the spider runs, and thawed with the thresholds restored after."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured

from crawler.run.heap import FrozenHeap, GCConfigError
from tests.support.crawlers import newscrawl_crawler


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _heap(**settings: object) -> tuple[FrozenHeap, object]:
    crawler = newscrawl_crawler(Spider, {"EXTENSIONS_BASE": {}, **settings})
    return FrozenHeap.from_crawler(crawler), crawler


def test_objects_alive_at_open_are_frozen_until_close() -> None:
    gc.set_threshold(700, 10, 10)
    heap, crawler = _heap(GC_YOUNG_THRESHOLD=5000)
    heap.spider_opened()
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold() == (5000, 10, 10)
    assert crawler.stats.get_value("gc/frozen_objects") == gc.get_freeze_count()
    heap.spider_closed()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == (700, 10, 10)


def test_garbage_frozen_during_the_crawl_is_collected_after_close() -> None:
    class Node:
        pass

    heap, _ = _heap()
    node = Node()
    node.self = node  # a cycle: only the collector can free it
    alive = weakref.ref(node)
    heap.spider_opened()
    del node
    gc.collect()
    assert alive() is not None, "frozen: skipped by the collector"
    heap.spider_closed()
    gc.collect()
    assert alive() is None, "thawed: collected"


def test_close_without_open_changes_nothing() -> None:
    thresholds = gc.get_threshold()
    heap, _ = _heap()
    heap.spider_closed()
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0


def test_turned_off_by_its_setting() -> None:
    with pytest.raises(NotConfigured):
        _heap(GC_FREEZE_ENABLED=False)


def test_a_threshold_below_one_is_refused_with_the_setting_named() -> None:
    with pytest.raises(GCConfigError, match="GC_YOUNG_THRESHOLD=0"):
        _heap(GC_YOUNG_THRESHOLD=0)
