"""The conventions people type: --version, global options anywhere, -s names checked, --since as a
duration or a date on every command, `dedup -` from standard input."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from crawler import __version__
from crawler.cli.errors import UsageError
from crawler.cli.main import build_parser
from crawler.cli.overrides import parse_overrides
from crawler.cli.setting_names import known_settings
from crawler.cli.when import parse_when, when_date
from crawler.storage import RunWriter, open_store
from tests.storage.factories import article
from tests.support.cli import cli_env, run_cli

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_version_prints_the_package_version():
    result = run_cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"newscrawl {__version__}")


@pytest.mark.parametrize(
    ("argv", "debug", "level", "verbose", "quiet"),
    [
        (["--debug", "sources"], True, None, 0, False),
        (["sources", "--debug"], True, None, 0, False),
        (["--log-level", "info", "crawl"], False, "INFO", 0, False),
        (["crawl", "thebricspost", "--log-level", "debug"], False, "DEBUG", 0, False),
        (["-q", "read"], False, None, 0, True),
        (["stats", "-vv"], False, None, 2, False),
        (["--debug", "dedup", "in.jsonl", "-q"], True, None, 0, True),
    ],
)
def test_global_options_are_taken_before_or_after_the_command(argv, debug, level, verbose, quiet):
    args = build_parser().parse_args(argv)
    assert (args.debug, args.log_level, args.verbose, args.quiet) == (debug, level, verbose, quiet)


def test_log_level_has_help_on_every_command():
    for command in ("crawl", "fetch", "demo", "read"):
        assert "--log-level LEVEL" in run_cli(command, "--help").stdout


def test_a_misspelt_setting_is_refused_with_the_closest_name():
    with pytest.raises(UsageError, match="-s DOWNLAOD_DELAY: unknown setting; did you mean DOWNLOAD_DELAY"):
        parse_overrides(["DOWNLAOD_DELAY=1"])


def test_a_custom_setting_passes_with_allow_unknown():
    assert parse_overrides(["MY_EXTENSION_LIMIT=3"], allow_unknown=True) == {"MY_EXTENSION_LIMIT": "3"}
    with pytest.raises(UsageError, match="--allow-unknown-setting"):
        parse_overrides(["MY_EXTENSION_LIMIT=3"])


def test_every_setting_the_code_reads_is_known():
    read = set()
    for path in (ROOT / "crawler").rglob("*.py"):
        read |= set(re.findall(r'settings\.get\w*\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
        read |= set(re.findall(r'settings\[\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    assert read - known_settings() == set()


def test_since_takes_a_duration_or_a_date():
    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert parse_when("--since", "2d", now) == datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    assert parse_when("--since", "2016-08-01", now) == datetime(2016, 8, 1, tzinfo=UTC)
    assert when_date("--until", "2016-08-01") == date(2016, 8, 1)
    with pytest.raises(UsageError, match="'yesterday' is not a duration or a date"):
        parse_when("--since", "yesterday", now)


def test_read_since_a_duration_works_as_crawl_since(tmp_path):
    with open_store(str(tmp_path)) as store:
        writer = RunWriter(store)
        old = article(1, day="2016-08-27")
        recent = article(2, day=datetime.now(UTC).date().isoformat())
        recent["published_at"] = datetime.now(UTC).isoformat()
        for record in (old, recent):
            writer.add_article(record)
        writer.commit({})
    result = run_cli("read", "--store", str(tmp_path), "--since", "2d")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [recent["id"]]
    result = run_cli("read", "--store", str(tmp_path), "--since", "2016-08-01", "--until", "1d")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [old["id"]]


def test_dedup_dash_reads_standard_input():
    records = "".join(
        json.dumps({"id": name, "text": "one two three four five six seven eight"}) + "\n" for name in "ab"
    )
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "dedup", "-"], input=records, capture_output=True, text=True,
        cwd=ROOT, env=cli_env(), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == ["a", "b"] and out[0]["cluster_id"] == out[1]["cluster_id"]
    assert "2 records, 1 clusters" in result.stderr
