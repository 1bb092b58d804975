from __future__ import annotations

import io
import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured

from crawler.monitoring.counters import counter_key
from crawler.monitoring.errors import MonitoringConfigError
from crawler.monitoring.progress import Progress, progress_line
from tests.support.crawlers import newscrawl_crawler


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _crawler(**settings: object):
    crawler = newscrawl_crawler(Spider, {"EXTENSIONS_BASE": {}, **settings})
    stats = crawler.stats
    stats.set_value("response_received_count", 1234)
    stats.set_value(counter_key("alpha", "stored"), 400)
    stats.set_value(counter_key("beta", "stored"), 56)
    stats.set_value(counter_key("alpha", "duplicates"), 12)
    stats.set_value(counter_key("beta", "http_errors"), 2)
    stats.set_value("log_count/ERROR", 1)
    return crawler


def test_progress_line_sums_sources() -> None:
    line = progress_line(_crawler().stats.get_stats(), 12.34)
    assert line == "1,234 pages · 456 articles · 12 duplicates · 3 errors · 12.3 pages/s"


def test_on_a_terminal_the_line_is_redrawn_in_place_and_ended_at_close() -> None:
    terminal = Terminal()
    progress = Progress.from_crawler(_crawler(), stream=terminal)
    assert progress.interval == 1.0
    progress.tick()
    progress.tick()
    progress.spider_closed(Spider("t"), "finished")
    written = terminal.getvalue()
    assert written.count("\r\x1b[K") == 2 and written.endswith("\n") and written.count("\n") == 1
    assert "456 articles" in written


def test_off_a_terminal_progress_is_logged_to_the_stream_at_the_logstats_interval() -> None:
    stream = io.StringIO()
    # The crawl's level is WARNING by default, and cron still needs the progress lines.
    crawler = _crawler(LOGSTATS_INTERVAL=30.0, LOG_LEVEL="WARNING", LOG_FORMAT="%(levelname)s %(message)s")
    progress = Progress.from_crawler(crawler, stream=stream)
    assert progress.interval == 30.0
    progress.tick()
    progress.spider_closed(Spider("t"), "finished")
    assert stream.getvalue().startswith(
        "INFO progress: 1,234 pages · 456 articles · 12 duplicates · 3 errors"
    )
    assert stream.getvalue().count("\n") == 1
    progress.tick()  # after the crawl the handler is gone: nothing more on the stream
    assert stream.getvalue().count("\n") == 1


def test_with_a_log_file_progress_lines_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    stream = io.StringIO()
    progress = Progress.from_crawler(_crawler(LOG_FILE="crawl.log"), stream=stream)
    with caplog.at_level(logging.INFO, logger="crawler.monitoring.progress"):
        progress.tick()
    assert stream.getvalue() == ""
    [record] = caplog.records
    assert record.getMessage().startswith("progress: 1,234 pages")


def test_progress_interval_setting_wins_and_progress_can_be_switched_off() -> None:
    assert Progress.from_crawler(_crawler(NEWSCRAWL_PROGRESS_INTERVAL=5), stream=Terminal()).interval == 5
    with pytest.raises(NotConfigured):
        Progress.from_crawler(_crawler(NEWSCRAWL_PROGRESS=False))
    with pytest.raises(MonitoringConfigError, match="NEWSCRAWL_PROGRESS_INTERVAL"):
        Progress.from_crawler(_crawler(NEWSCRAWL_PROGRESS_INTERVAL=-1))
