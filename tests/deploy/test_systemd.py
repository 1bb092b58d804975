"""systemd units: the timer starts the service hourly; the service's limits sit above the crawl's own."""

from __future__ import annotations

import shlex

from tests.deploy.manifests import DEPLOY, flag, systemd_unit

SERVICE = systemd_unit("systemd/newscrawl.service")
TIMER = systemd_unit("systemd/newscrawl.timer")


def _one(unit: dict, section: str, key: str) -> str:
    [value] = unit[section][key]
    return value


def test_timer_starts_the_service_hourly_and_catches_up_after_downtime() -> None:
    unit = _one(TIMER, "Timer", "Unit")
    assert unit == "newscrawl.service" and (DEPLOY / "systemd" / unit).is_file()
    assert _one(TIMER, "Timer", "OnCalendar") in {"hourly", "*-*-* *:00:00"}
    assert _one(TIMER, "Timer", "Persistent") in {"yes", "true", "on", "1"}
    assert _one(TIMER, "Install", "WantedBy") == "timers.target"


def test_service_is_a_oneshot_started_only_by_the_timer() -> None:
    assert _one(SERVICE, "Service", "Type") == "oneshot"
    assert "Install" not in SERVICE


def test_service_runs_the_crawl_as_an_unprivileged_user_with_secrets_from_a_file() -> None:
    assert _one(SERVICE, "Service", "User") not in {"", "root"}
    assert _one(SERVICE, "Service", "EnvironmentFile").startswith("/etc/newscrawl/")
    assert "Environment" not in SERVICE["Service"], "credentials belong in the EnvironmentFile"
    args = shlex.split(_one(SERVICE, "Service", "ExecStart"))
    assert args[0].endswith("/newscrawl") and args[1] == "crawl"
    assert flag(args, "--store") == "s3://newscrawl"
    textfile = flag(args, "--metrics-textfile") or ""
    assert textfile.endswith(".prom")  # node_exporter's textfile collector reads only *.prom
    assert textfile.rsplit("/", 1)[0] in SERVICE["Service"]["ReadWritePaths"]


def test_time_limits_let_the_crawl_stop_itself_then_close_gracefully_within_the_hour() -> None:
    args = shlex.split(_one(SERVICE, "Service", "ExecStart"))
    max_runtime = int(flag(args, "--max-runtime") or 0)
    start_limit = int(_one(SERVICE, "Service", "TimeoutStartSec"))
    stop_limit = int(_one(SERVICE, "Service", "TimeoutStopSec"))
    assert start_limit >= max_runtime + 120
    assert stop_limit >= 60
    assert start_limit + stop_limit < 3600
    # SIGTERM reaches the crawl first, so Scrapy can write its last batch and manifest
    assert _one(SERVICE, "Service", "KillSignal") == "SIGTERM"
    assert _one(SERVICE, "Service", "KillMode") == "mixed"
