from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import generate_latest, write_to_textfile

from crawler.monitoring.counters import COUNTERS, counter_key, dropped_key, median_key
from crawler.monitoring.exposition import _COUNTER_METRICS, metrics_registry
from tests.monitoring.promtext import parse, value

STATS = {
    "start_time": datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
    counter_key("alpha", "stored"): 7,
    counter_key("alpha", "fetched"): 9,
    dropped_key("alpha", "EmptyText"): 2,
    dropped_key("alpha", 'odd "reason"\\x'): 1,
    median_key("alpha"): 1234.5,
    counter_key("beta", "http_errors"): 3,
}


def render_metrics(stats: dict) -> str:
    return generate_latest(metrics_registry(lambda: stats)).decode()


def test_every_counter_has_a_metric() -> None:
    assert set(_COUNTER_METRICS) == set(COUNTERS)


def test_exposition_parses_back_to_the_per_source_counters() -> None:
    samples = parse(render_metrics(STATS))
    assert value(samples, "newscrawl_articles_stored_total", source="alpha") == 7
    assert value(samples, "newscrawl_articles_fetched_total", source="alpha") == 9
    assert value(samples, "newscrawl_articles_stored_total", source="beta") == 0
    assert value(samples, "newscrawl_http_errors_total", source="beta") == 3
    assert value(samples, "newscrawl_dropped_total", source="alpha", reason="EmptyText") == 2
    assert value(samples, "newscrawl_text_length_median_chars", source="alpha") == 1234.5
    assert value(samples, "newscrawl_run_start_timestamp_seconds") == STATS["start_time"].timestamp()


def test_label_values_are_escaped() -> None:
    samples = parse(render_metrics(STATS))
    assert value(samples, "newscrawl_dropped_total", source="alpha", reason='odd "reason"\\x') == 1


def test_exposition_of_an_empty_crawl_is_still_valid() -> None:
    assert parse(render_metrics({})) == {}


def test_textfile_is_replaced_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "newscrawl.prom"
    target.write_text("stale\n")
    write_to_textfile(str(target), metrics_registry(lambda: STATS))
    assert value(parse(target.read_text()), "newscrawl_articles_stored_total", source="alpha") == 7
    assert os.listdir(tmp_path) == ["newscrawl.prom"]
