"""Bad input typed by a person: one clear line naming the problem and the fix, exit 2 (usage) or 1
(runtime: the input is well formed but the host, server, bucket or credentials fail), no traceback
unless --debug."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import one_line, run_cli
from tests.support.seaweed import SeaweedServer, start_seaweed, stop_seaweed

# Variables that would let boto3 find credentials or an endpoint other than the ones a test gives.
_NO_AWS = {
    "AWS_CONFIG_FILE": "/nonexistent/newscrawl-test-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/newscrawl-test-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_MAX_ATTEMPTS": "1",  # these failures are not transient: fail fast
}


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that refuses connections: bound (so nobody else takes it) but never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def fetch_error(result) -> str:  # type: ignore[no-untyped-def]
    """`fetch` reports each URL as one JSON line on stdout; a refused one carries `error`."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1 and "error" in lines[0], result.stdout
    return str(lines[0]["error"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "has no scheme: write it as https://notaurl"),
        ("http://exa mple.com/", "contains spaces or control characters: remove them"),
        ("http://example.com:99999/", "Port out of range 0-65535"),
        ("file:///etc/passwd", "only http:// and https:// URLs are fetched"),
        ("ftp://example.com/a.html", "only http:// and https:// URLs are fetched"),
        ("http://user:pw@example.com/", "carries credentials (user@host): remove them"),
        ("http://127.0.0.1/", "--allow-private"),
    ],
)
def test_fetch_refuses_malformed_and_unsupported_urls_with_exit_2(url, message):
    result = run_cli("fetch", url)
    assert result.returncode == 2, result.stderr[-3000:]
    assert message in fetch_error(result)


def test_fetch_of_an_unreachable_host_names_the_failure_with_exit_1(closed_port):
    result = run_cli("fetch", "--allow-private", f"http://127.0.0.1:{closed_port}/story")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Connection refused" in fetch_error(result)


def test_fetch_of_a_name_that_does_not_resolve_says_so_with_exit_1():
    result = run_cli("fetch", "http://no-such-host.invalid/story")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "DNS lookup failed" in fetch_error(result)


@pytest.mark.parametrize(
    ("store", "message"),
    [
        ("gopher://host/x", "unknown scheme 'gopher'; use file://PATH or s3://BUCKET[/PREFIX]"),
        ("file://", "has no path; use file://PATH"),
        ("s3://Bad_Bucket/x", "has no valid bucket name; use s3://BUCKET[/PREFIX]"),
        ("s3://bucket/x?versionId=1", "has a query or fragment"),
        ("s3://bucket/../escape", "unusable prefix"),
    ],
)
def test_a_bad_store_uri_is_a_usage_error(store, message):
    result = run_cli("crawl", "--store", store)
    assert result.returncode == 2
    assert message in one_line(result.stderr, "crawl")


def test_a_store_path_that_is_a_file_is_a_usage_error(tmp_path):
    path = tmp_path / "a-file"
    path.write_text("x")
    result = run_cli("read", "--store", f"file://{path}")
    assert result.returncode == 2
    assert "is a file; point the store at a directory" in one_line(result.stderr, "read")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]\nid = 'x'\n", "sources.toml"),
        ("[[source]]\nid = 'bad id'\nname = 'X'\nhomepage = 'https://x.example/'\n", "bad id"),
        ("[[source]]\nid = 'x'\nname = 'X'\n", "homepage"),
        (
            "[[source]]\nid = 'x'\nname = 'X'\nhomepage = 'https://x.example/'\n" * 2,
            "'x'",
        ),
    ],
    ids=["toml-syntax", "bad-id", "missing-homepage", "duplicate-id"],
)
def test_a_sources_file_with_errors_names_the_file_and_the_problem(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    for command, *extra in (["crawl", "--store", f"file://{tmp_path / 'store'}"], ["sources"]):
        result = run_cli(command, "--sources", str(path), *extra)
        assert result.returncode == 2, result.stderr[-3000:]
        assert message in one_line(result.stderr, command)


def test_a_missing_bucket_is_a_runtime_error_that_says_to_create_it(seaweed, tmp_path):
    bucket = f"missing-{uuid.uuid4().hex[:12]}"
    result = run_cli("crawl", "--store", f"s3://{bucket}/x", env={**seaweed.env(), **_NO_AWS})
    assert result.returncode == 1
    assert f"bucket '{bucket}'" in (line := one_line(result.stderr, "crawl"))
    assert "does not exist; create it or fix the store URI" in line


def test_no_credentials_names_the_variables_to_set(seaweed):
    env = {
        **_NO_AWS,
        "AWS_ENDPOINT_URL": seaweed.endpoint,
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
    }
    result = run_cli("read", "--store", f"s3://{seaweed.bucket}/x", env=env)
    assert result.returncode == 1
    assert "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in one_line(result.stderr, "read")


@pytest.fixture
def locked_seaweed(tmp_path: Path) -> Iterator[SeaweedServer]:
    """The session SeaweedFS accepts any key (weed mini does when started without one); this one is
    started with a key, so it refuses every other."""
    server = start_seaweed("newscrawl-locked", tmp_path, credentials=("right-key", "right-secret"))
    try:
        yield server
    finally:
        stop_seaweed(server.process)


def test_wrong_credentials_are_refused_with_the_variables_named(locked_seaweed, tmp_path):
    store = f"s3://{locked_seaweed.bucket}/x"
    env = {**locked_seaweed.env(), **_NO_AWS}
    assert run_cli("read", "--store", store, env=env).returncode == 0, "the right key works"
    wrong = {**env, "AWS_SECRET_ACCESS_KEY": "wrong-secret"}
    for command in ("read", "crawl"):
        result = run_cli(command, "--store", store, env=wrong)
        assert result.returncode == 1
        line = one_line(result.stderr, command)
        assert "denied (403); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" in line


def test_an_unreachable_s3_endpoint_names_the_variable(closed_port):
    env = {
        **_NO_AWS,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port}",
        "AWS_ACCESS_KEY_ID": "k",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    result = run_cli("crawl", "--store", "s3://bucket/x", env=env)
    assert result.returncode == 1
    assert "cannot reach bucket 'bucket'" in (line := one_line(result.stderr, "crawl"))
    assert "check AWS_ENDPOINT_URL" in line


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY takes a number"),
        ("EXTRACT_WORKERS=two", "EXTRACT_WORKERS takes a whole number"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY takes true or false"),
        ("DEFAULT_REQUEST_HEADERS={not json", "DEFAULT_REQUEST_HEADERS takes a JSON object"),
    ],
)
@pytest.mark.parametrize("command", ["crawl", "fetch"])
def test_a_setting_of_the_wrong_type_is_a_usage_error(command, setting, message, tmp_path):
    target = ["https://example.com/a.html"] if command == "fetch" else []
    result = run_cli(command, *target, "--store", f"file://{tmp_path}", "-s", setting)
    assert result.returncode == 2
    assert f"-s {setting}: {message}" in one_line(result.stderr, command)


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/0", "redis://", "127.0.0.1:6379", "redis:///0"])
def test_a_malformed_frontier_url_is_a_usage_error(url, tmp_path):
    result = run_cli("crawl", "--store", f"file://{tmp_path}", "--frontier", url)
    assert result.returncode == 2
    assert "write it as redis://HOST:PORT/DB" in one_line(result.stderr, "crawl")


def test_an_unreachable_redis_is_a_runtime_error(closed_port, tmp_path):
    url = f"redis://127.0.0.1:{closed_port}/0"
    result = run_cli("crawl", "--store", f"file://{tmp_path}", "--frontier", url)
    assert result.returncode == 1
    line = one_line(result.stderr, "crawl")
    assert "cannot reach Redis" in line and "start it or fix the host and port" in line


def test_debug_shows_the_traceback_instead(tmp_path):
    result = run_cli("--debug", "crawl", "--store", "gopher://host/x")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "UsageError" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("STORAGE_URI=gopher://host/x", "unknown scheme 'gopher'; use file://PATH or s3://BUCKET[/PREFIX]"),
        ("LOG_LEVEL=verbose", "cannot start the crawl with these settings: Unknown level: 'verbose'"),
        # Refused where typed, before start-up: -s builds the DedupConfig it describes.
        ("DEDUP_WINDOW_DAYS=0", "-s: window must be positive"),
    ],
)
def test_a_setting_refused_at_start_up_is_a_usage_error(setting, message, tmp_path):
    # Checked by the component that reads it, not by type; a refusal there is a usage error, not a traceback.
    result = run_cli("fetch", "https://example.com/a.html", "--store", f"file://{tmp_path}", "-s", setting)
    assert result.returncode == 2, result.stderr[-3000:]
    assert message in one_line(result.stderr, "fetch")


def test_a_store_given_with_s_storage_uri_is_the_one_checked_and_named(closed_port, tmp_path):
    # -s STORAGE_URI wins over --store for the crawl, so the up-front store check must use it too.
    env = {
        **_NO_AWS,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port}",
        "AWS_ACCESS_KEY_ID": "k",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    result = run_cli("crawl", "--store", f"file://{tmp_path}", "-s", "STORAGE_URI=s3://bucket/x", env=env)
    assert result.returncode == 1
    assert "cannot reach bucket 'bucket'" in one_line(result.stderr, "crawl")


# Inputs that could end in a traceback, a hang, exit 0, or an error only after a whole crawl. Each
# must fail before any crawl starts, with one line naming the input, the usage exit code, and
# nothing written. `{tmp}` is the test's directory; `{registry}` a valid registry of one outlet on a
# closed loopback port (so a crawl that does start ends quickly);
# `{filled}` a store holding three articles.
def test_a_fetched_url_with_a_byte_that_is_not_utf8_is_refused_before_fetching(tmp_path):
    # The shell passes the raw byte; Python keeps it as a lone surrogate that no encoder takes.
    result = run_cli("fetch", "http://example.com/\udcff", "--store", str(tmp_path / "store"))
    assert result.returncode == 2, result.stderr[-3000:]
    assert "has a byte that is not UTF-8 text; percent-encode it" in fetch_error(result)
    assert json.loads(result.stdout)["url"] == "http://example.com/\\xff"
    assert result.stderr == "" and not (tmp_path / "store").exists()
