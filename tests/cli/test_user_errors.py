"""Bad input typed by a person: one clear line naming the problem and the fix, exit 2 (usage) or 1
(runtime: the input is well formed but the host, server, bucket or credentials fail), no traceback
unless --debug."""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import RunWriter, open_store
from tests.storage.factories import article
from tests.support.cli import ROOT, cli_env, run_cli
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


def one_line(stderr: str, command: str) -> str:
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    assert lines[0].startswith(f"newscrawl {command}: error: "), lines[0]
    return lines[0]


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
LONG_NAME = "n" * 300
CRAWL = ["--sources", "{registry}", "--allow-private"]
FETCH = ["fetch", "--allow-private", "http://127.0.0.1:9/story"]


def registry(**fields: str) -> str:
    entry = {"id": '"closed"', "name": '"Closed"', "homepage": '"http://127.0.0.1:9/"', **fields}
    return "[[source]]\n" + "".join(f"{key} = {value}\n" for key, value in entry.items())


# id, command line, exit code, what the one error line must say (None: say nothing, as for a
# closed pipe), where standard output goes ("full": /dev/full, "closed": a pipe nobody reads, "tty":
# a terminal).
USER_ERRORS = [
    ("homepage-bad-ipv6", ["sources", "--sources", "{tmp}/bad.toml"], 2,
     "homepage: 'http://[oops/' is not a valid URL (Invalid IPv6 URL)", None),
    ("homepage-port-out-of-range", ["sources", "--sources", "{tmp}/port.toml"], 2,
     "homepage: 'http://example.com:99999/' is not a valid URL (Port out of range", None),
    ("feed-bad-ipv6", ["crawl", "--allow-private", "--sources", "{tmp}/feed.toml"], 2,
     "feeds: 'http://[::1/feed' is not a valid URL", None),
    ("sitemap-port-out-of-range", ["sources", "--sources", "{tmp}/sitemap.toml"], 2,
     "sitemaps: 'https://example.com:70000/sitemap.xml' is not a valid URL (Port out of range", None),
    ("section-port-not-a-number", ["sources", "--sources", "{tmp}/section.toml"], 2,
     "sections: 'https://example.com:news/' is not a valid URL (Port could not be cast", None),
    ("source-id-1500-characters", ["sources", "--sources", "{tmp}/long-id.toml"], 2,
     "is 1500 characters; ids name storage partitions, keep them to 64 at most", None),
    ("registry-deep-toml", ["sources", "--sources", "{tmp}/deep.toml"], 2,
     "{tmp}/deep.toml: arrays or tables nested too deeply", None),
    ("registry-dev-zero", ["crawl", "--allow-private", "--sources", "/dev/zero"], 2,
     "/dev/zero: not a regular file", None),
    ("registry-fifo", ["sources", "--sources", "{tmp}/fifo.toml"], 2,
     "{tmp}/fifo.toml: not a regular file", None),
    ("registry-huge", ["sources", "--sources", "{tmp}/huge.toml"], 2,
     "{tmp}/huge.toml: over 4 MiB, too large for a sources file", None),
    ("registry-name-escape-sequence", ["sources", "--sources", "{tmp}/escape.toml"], 2,
     "field 'name' ('\\x1b[2J') contains control characters", None),
    ("registry-allowed-domain-is-a-url", ["sources", "--sources", "{tmp}/domain.toml"], 2,
     "allowed_domains entry 'https://example.com/' is not a domain name", None),
    ("registry-empty-path", ["sources", "--sources", ""], 2, "an empty path is not a sources file", None),
    *[
        (f"{command}-{case}", [command, *extra, "--store", store], 2, message, None)
        for command, extra in (("crawl", CRAWL), ("fetch", FETCH[1:]), ("read", []), ("stats", []))
        for case, store, message in (
            ("store-nul", "file://{tmp}/a%00b", "store path '{tmp}/a\\x00b' contains a NUL byte"),
            ("store-long-name", "{tmp}/" + LONG_NAME, "has a 300-byte name; names are at most 255 bytes"),
            ("store-under-a-file", "{tmp}/a-file/store", "is under {tmp}/a-file, which is a file"),
            ("store-empty", "", "the store URI is empty"),
        )
    ],
    *[
        (f"{command}-store-unwritable", [command, *extra, "--store", "{tmp}/locked/store"], 2,
         "store path {tmp}/locked/store is not writable", None)
        for command, extra in (("crawl", CRAWL), ("fetch", FETCH[1:]))
    ],
    ("s-download-timeout-negative", [*FETCH, "-s", "DOWNLOAD_TIMEOUT=-1"], 2,
     "-s DOWNLOAD_TIMEOUT=-1: DOWNLOAD_TIMEOUT must be above 0, e.g. 30", None),
    ("s-download-delay-negative", ["crawl", *CRAWL, "-s", "DOWNLOAD_DELAY=-1"], 2,
     "-s DOWNLOAD_DELAY=-1: DOWNLOAD_DELAY must be 0 or more", None),
    ("s-download-delay-infinite", [*FETCH, "-s", "DOWNLOAD_DELAY=inf"], 2,
     "-s DOWNLOAD_DELAY=inf: DOWNLOAD_DELAY takes a finite number", None),
    # Unchecked, the crawl sleeps through it, and a graceful stop waits on it too.
    ("s-download-delay-huge", [*FETCH, "-s", "DOWNLOAD_DELAY=1e300"], 2,
     "-s DOWNLOAD_DELAY=1e300: DOWNLOAD_DELAY is at most 86400 seconds (a day)", None),
    ("s-concurrent-requests-zero", [*FETCH, "-s", "CONCURRENT_REQUESTS=0"], 2,
     "-s CONCURRENT_REQUESTS=0: CONCURRENT_REQUESTS must be above 0", None),
    ("s-concurrent-per-domain-zero", [*FETCH, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"], 2,
     "-s CONCURRENT_REQUESTS_PER_DOMAIN=0: CONCURRENT_REQUESTS_PER_DOMAIN must be above 0", None),
    ("s-download-maxsize-negative", [*FETCH, "-s", "DOWNLOAD_MAXSIZE=-1"], 2,
     "-s DOWNLOAD_MAXSIZE=-1: DOWNLOAD_MAXSIZE must be 0 or more", None),
    ("s-dns-timeout-zero", [*FETCH, "-s", "DNS_TIMEOUT=0"], 2,
     "-s DNS_TIMEOUT=0: DNS_TIMEOUT must be above 0", None),
    ("s-log-file-under-a-file", ["crawl", *CRAWL, "-s", "LOG_FILE={tmp}/a-file/crawl.log"], 2,
     "-s LOG_FILE={tmp}/a-file/crawl.log: {tmp}/a-file/crawl.log must be a file in an existing directory",
     None),
    ("s-jobdir-under-a-file", ["crawl", *CRAWL, "-s", "JOBDIR={tmp}/a-file/job"], 2,
     "-s JOBDIR={tmp}/a-file/job: JOBDIR path {tmp}/a-file/job is under {tmp}/a-file, which is a file", None),
    # Unchecked, this would fork 100,000 workers until the test's timeout.
    ("s-extract-workers-huge", ["crawl", *CRAWL, "-s", "EXTRACT_WORKERS=100000"], 2,
     "-s EXTRACT_WORKERS=100000: at most", None),
    # A day count past what date arithmetic holds: an OverflowError traceback, unchecked.
    ("s-dedup-window-days-huge", ["crawl", *CRAWL, "-s", "DEDUP_WINDOW_DAYS=99999999999"], 2,
     "-s DEDUP_WINDOW_DAYS=99999999999: DEDUP_WINDOW_DAYS is at most 36500", None),
    ("dedup-s-window-days-huge", ["dedup", "{tmp}/records.jsonl", "-s", "DEDUP_WINDOW_DAYS=1e308"], 2,
     "-s DEDUP_WINDOW_DAYS=1e308: DEDUP_WINDOW_DAYS is at most 36500", None),
    ("dedup-out-is-the-input", ["dedup", "{tmp}/records.jsonl", "--out", "{tmp}/records.jsonl"], 2,
     "--out {tmp}/records.jsonl is the input file", None),
    ("s-storage-uri-empty", ["crawl", *CRAWL, "-s", "STORAGE_URI="], 2, "the store URI is empty", None),
    ("crawl-since-empty", ["crawl", *CRAWL, "--since", ""], 2, "--since: '' is not a duration", None),
    ("crawl-since-zero", ["crawl", *CRAWL, "--since", "0d"], 2, "--since: '0d' would skip every article", None),
    ("crawl-frontier-empty", ["crawl", *CRAWL, "--frontier", ""], 2, "--frontier is empty", None),
    ("crawl-metrics-textfile-empty", ["crawl", *CRAWL, "--metrics-textfile", ""], 2,
     "--metrics-textfile is empty", None),
    ("read-until-before-since", ["read", "--since", "2025-01-01", "--until", "2024-01-01"], 2,
     "--until 2024-01-01 is before --since 2025-01-01", None),
    ("read-source-empty", ["read", "--source", ""], 2, "--source is empty", None),
    *[
        (f"{name}-stdout-full", [name.split("-")[0], *extra], 1,
         "cannot write to standard output (No space left on device)", "full")
        for name, extra in (
            ("read-jsonl", ["--store", "{filled}"]),
            ("read-parquet", ["--store", "{filled}", "--format", "parquet"]),
            ("stats", ["--store", "{filled}"]),
            ("sources", []),
            ("dedup", ["{tmp}/records.jsonl"]),
        )
    ],
    ("sources-stdout-closed", ["sources"], 1, None, "closed"),
    # A misspelt -s name is refused, not ignored; parquet is not written to a terminal as binary.
    ("s-misspelt-name-crawl", ["crawl", *CRAWL, "-s", "DOWNLAOD_DELAY=1"], 2,
     "-s DOWNLAOD_DELAY: unknown setting; did you mean DOWNLOAD_DELAY?", None),
    ("s-misspelt-name-fetch", [*FETCH, "-s", "CONCURRENT_REQUEST=2"], 2,
     "-s CONCURRENT_REQUEST: unknown setting; did you mean CONCURRENT_REQUESTS?", None),
    ("read-parquet-to-a-terminal", ["read", "--store", "{filled}", "--format", "parquet"], 2,
     "--format parquet is binary; give --out FILE", "tty"),
    ("crawl-output-unknown-extension", ["crawl", *CRAWL, "-o", "{tmp}/out.txt"], 2,
     "-o {tmp}/out.txt: give a file ending in .jsonl, .json, .csv, .parquet", None),
    ("fetch-input-file-missing", ["fetch", "-i", "{tmp}/no-such-list.txt"], 2,
     "-i {tmp}/no-such-list.txt: cannot read it (No such file or directory)", None),
    ("fetch-no-url", ["fetch"], 2, "give at least one URL, or -i FILE", None),
    # A stream that never ends is refused at a cap, not read into memory whole.
    ("fetch-input-file-endless", ["fetch", "-i", "/dev/zero"], 2,
     "-i /dev/zero: over 64 MiB; a URL list is one URL per line", None),
    ("dedup-endless-line", ["dedup", "/dev/zero"], 2,
     "/dev/zero: line 1: longer than 16,777,216 characters", None),
    ("stats-stdout-closed", ["stats", "--store", "{filled}"], 1, None, "closed"),
]  # fmt: skip


def _user_error_files(tmp: Path) -> None:
    """What the cases above refer to, made before the snapshot of `tmp` is taken."""
    for name, text in {
        "bad.toml": registry(homepage='"http://[oops/"'),
        "port.toml": registry(homepage='"http://example.com:99999/"'),
        "feed.toml": registry(feeds='["http://[::1/feed"]'),
        "sitemap.toml": registry(sitemaps='["https://example.com:70000/sitemap.xml"]'),
        "section.toml": registry(sections='["https://example.com:news/"]'),
        "long-id.toml": registry(id='"' + "a" * 1500 + '"'),
        "deep.toml": registry(exclude_patterns="[" * 5000 + "]" * 5000),
        "registry.toml": registry(),
        "escape.toml": registry(name='"\\u001b[2J"'),
        "domain.toml": registry(allowed_domains='["https://example.com/"]'),
        "a-file": "not a directory",
        "records.jsonl": '{"id": "a", "text": "one two three four five six seven"}\n',
    }.items():
        (tmp / name).write_text(text, encoding="utf-8")
    os.mkfifo(tmp / "fifo.toml")  # nobody writes to it: a blocking open waits forever
    with (tmp / "huge.toml").open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: takes no space
    with open_store(str(tmp / "filled")) as store:
        writer = RunWriter(store)
        for n in range(3):
            writer.add_article(article(n))
        writer.commit({})


@pytest.fixture
def locked_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory this user cannot create files in, root included (chattr +i where chmod is not
    enough)."""
    path = tmp_path / "locked"
    path.mkdir()
    path.chmod(0o555)
    immutable = False
    if os.access(path, os.W_OK):
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    try:
        if os.access(path, os.W_OK):
            pytest.skip("cannot make a directory unwritable for this user here")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o755)


def _snapshot(root: Path) -> set[tuple[str, int]]:
    return {(str(p.relative_to(root)), p.lstat().st_mtime_ns) for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("args", "code", "message", "stdout"),
    [pytest.param(*case[1:], id=case[0]) for case in USER_ERRORS],
)
def test_bad_input_fails_before_any_crawl_with_one_line_and_nothing_written(
    tmp_path, locked_dir, args, code, message, stdout
):
    tmp = tmp_path.resolve()
    _user_error_files(tmp)
    fill = {"tmp": str(tmp), "registry": str(tmp / "registry.toml"), "filled": str(tmp / "filled")}
    argv = [arg.format(**fill) for arg in args]
    before = _snapshot(tmp)
    # The default store, were any command to fall back to it, is inside tmp too.
    env = {"NEWSCRAWL_STORE": str(tmp / "default-store")}
    result = run_cli(*argv, env=env, timeout=60) if stdout is None else _run_into(argv, env, stdout)
    assert result.returncode == code, result.stderr[-3000:]
    if message is None:
        assert result.stderr == "", result.stderr[-3000:]
    else:
        assert message.format(**fill) in one_line(result.stderr, argv[0]), result.stderr[-3000:]
    assert _snapshot(tmp) == before, "the command wrote something"


def _run_into(argv: list[str], env: dict[str, str], stdout: str) -> subprocess.CompletedProcess[str]:
    """The CLI with standard output on /dev/full, or on a pipe whose reader is already gone."""
    if stdout == "full":
        with open("/dev/full", "wb") as full:
            return subprocess.run(
                [sys.executable, "-m", "crawler", *argv], cwd=ROOT, env=cli_env(env), stdout=full,
                stderr=subprocess.PIPE, text=True, timeout=60, check=False,
            )  # fmt: skip
    if stdout == "tty":
        leader, terminal = pty.openpty()
        try:
            return subprocess.run(
                [sys.executable, "-m", "crawler", *argv], cwd=ROOT, env=cli_env(env), stdout=terminal,
                stderr=subprocess.PIPE, text=True, timeout=60, check=False,
            )  # fmt: skip
        finally:
            os.close(terminal)
            os.close(leader)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "crawler", *argv], cwd=ROOT, env=cli_env(env), stdout=write_end,
            stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)


def test_a_fetched_url_with_a_byte_that_is_not_utf8_is_refused_before_fetching(tmp_path):
    # The shell passes the raw byte; Python keeps it as a lone surrogate that no encoder takes.
    result = run_cli("fetch", "http://example.com/\udcff", "--store", str(tmp_path / "store"))
    assert result.returncode == 2, result.stderr[-3000:]
    assert "has a byte that is not UTF-8 text; percent-encode it" in fetch_error(result)
    assert json.loads(result.stdout)["url"] == "http://example.com/\\xff"
    assert result.stderr == "" and not (tmp_path / "store").exists()
