from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured

from crawler.cli import sources
from crawler.cli.main import main
from crawler.monitoring.errors import MonitoringConfigError
from crawler.monitoring.metrics import Metrics
from tests.support.crawlers import newscrawl_crawler


def _metrics(**settings: object) -> Metrics:
    return Metrics.from_crawler(newscrawl_crawler(Spider, {"EXTENSIONS_BASE": {}, **settings}))


def test_metrics_are_off_unless_a_port_or_textfile_is_set() -> None:
    with pytest.raises(NotConfigured):
        _metrics()


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"METRICS_PORT": "http"}, "METRICS_PORT='http': give a port"),
        ({"METRICS_PORT": 70000}, "METRICS_PORT=70000: give a port"),
        ({"METRICS_TEXTFILE": "/tmp/metrics.txt"}, "only reads files ending in .prom"),
        ({"METRICS_TEXTFILE": "/nonexistent-dir/x.prom"}, "create it first"),
        ({"METRICS_TEXTFILE": "/tmp/x.prom", "METRICS_INTERVAL": 0}, "seconds > 0"),
    ],
)
def test_bad_metrics_settings_stop_start_up_naming_the_setting(settings: dict, names: str) -> None:
    with pytest.raises(MonitoringConfigError, match=names.replace("(", r"\(")):
        _metrics(**settings)


def test_a_taken_port_stops_start_up() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(MonitoringConfigError, match="pick a free port"):
            _metrics(METRICS_PORT=port, METRICS_HOST="127.0.0.1")


def test_textfile_is_written_at_close_even_without_a_port(tmp_path: Path) -> None:
    target = tmp_path / "run.prom"
    metrics = _metrics(METRICS_TEXTFILE=str(target))
    metrics.spider_closed(Spider("t"), "finished")
    assert target.read_text().startswith("# HELP newscrawl_")


def test_a_config_error_ends_the_command_with_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(args: object) -> int:
        raise MonitoringConfigError("NEWSCRAWL_METRICS_PORT=1: pick a free port")

    monkeypatch.setattr(sources, "run", refuse)
    assert main(["sources"]) == 2
    assert capsys.readouterr().err == "newscrawl sources: error: NEWSCRAWL_METRICS_PORT=1: pick a free port\n"


def test_metrics_left_off_by_default_log_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    # Off is the default: a "Disabled ..." WARNING on every plain `newscrawl crawl` is noise that
    # reads like a misconfiguration (Scrapy logs one for a NotConfigured that carries a message).
    from scrapy.extension import ExtensionManager

    crawler = newscrawl_crawler(
        Spider, {"EXTENSIONS_BASE": {}, "EXTENSIONS": {"crawler.monitoring.metrics.Metrics": 520}}
    )
    with caplog.at_level(logging.WARNING):
        manager = ExtensionManager.from_crawler(crawler)
    assert manager.middlewares == ()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
