"""Bad input at the command line, as a table: each case fails before any crawl, with its exit code,
one line naming the problem, and nothing written anywhere."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import RunWriter, open_store
from tests.storage.factories import article
from tests.support.cli import ROOT, cli_env, one_line, run_cli

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
