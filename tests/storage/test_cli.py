"""`newscrawl read` and `newscrawl stats`, run as the user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.storage import RunWriter, open_store
from tests.storage.factories import article

ROOT = Path(__file__).resolve().parents[2]


def newscrawl(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, env=env)


def _write(uri: str, records: list[dict]) -> str:
    with open_store(uri) as store:
        writer = RunWriter(store)
        for record in records:
            writer.add_article(record)
        return writer.commit({})["checkpoint"]


@pytest.fixture
def filled(store_uri: str) -> str:
    original = article(1, day="2016-08-27")
    _write(
        store_uri,
        [original, article(2, source="other-outlet", day="2016-08-28", duplicate_of=original["id"])],
    )
    return store_uri


def _lines(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_read_prints_jsonl_and_the_next_checkpoint(filled, child_env):
    result = newscrawl("read", "--store", filled, env=child_env)
    assert {r["source"] for r in _lines(result)} == {"thebricspost", "other-outlet"}
    assert "2 articles; next checkpoint: 000000000001" in result.stderr.decode()


def test_read_filters_by_source_date_and_duplicates(filled, child_env):
    assert [
        r["source"]
        for r in _lines(newscrawl("read", "--store", filled, "--source", "other-outlet", env=child_env))
    ] == ["other-outlet"]
    assert len(_lines(newscrawl("read", "--store", filled, "--since", "2016-08-28", env=child_env))) == 1
    assert [
        r["source"] for r in _lines(newscrawl("read", "--store", filled, "--no-duplicates", env=child_env))
    ] == ["thebricspost"]


def test_read_after_checkpoint_returns_only_new_runs(filled, child_env):
    _write(filled, [article(3)])
    result = newscrawl("read", "--store", filled, "--after", "000000000001", env=child_env)
    assert [r["id"] for r in _lines(result)] == [article(3)["id"]]
    assert "next checkpoint: 000000000002" in result.stderr.decode()
    assert _lines(newscrawl("read", "--store", filled, "--after", "000000000002", env=child_env)) == []


def test_read_writes_parquet_to_a_file(filled, child_env, tmp_path):
    out = tmp_path / "articles.parquet"
    result = newscrawl("read", "--store", filled, "--format", "parquet", "--out", str(out), env=child_env)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    assert sorted(pq.read_table(out).column("source").to_pylist()) == ["other-outlet", "thebricspost"]


def test_stats_counts_days_sources_duplicates_and_runs(filled, child_env):
    result = newscrawl("stats", "--store", filled, "--json", env=child_env)
    assert result.returncode == 0, result.stderr.decode()
    stats = json.loads(result.stdout)
    assert stats["runs"] == 1 and stats["articles"] == 2 and stats["duplicate_rate"] == 0.5
    assert stats["per_day"] == {"2016-08-27": 1, "2016-08-28": 1}
    assert stats["per_source"] == {"other-outlet": 1, "thebricspost": 1}
    table = newscrawl("stats", "--store", filled, env=child_env).stdout.decode()
    assert "Duplicates  1 (50.0% syndicated copies)" in table and "other-outlet" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["read", "--store", "ftp://x/y"], b"use file://PATH or s3://BUCKET"),
        (["read", "--after", "yesterday"], b"12-digit checkpoint"),
        (["read", "--since", "2016-13-01"], b"use YYYY-MM-DD"),
        (["read", "--since", "2016-08-01", "--after", "000000000001"], b"not allowed with argument"),
        (["stats", "--store", "s3://"], b"valid bucket name"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, message, tmp_path):
    result = newscrawl(*args)
    assert result.returncode == 2
    assert message in result.stderr and b"Traceback" not in result.stderr


def test_read_of_an_empty_store_prints_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    result = newscrawl("read", "--store", str(tmp_path / "empty"))
    assert result.returncode == 0 and result.stdout == b""
    assert b"0 articles; next checkpoint: none" in result.stderr


def test_read_streams_parquet_to_stdout(filled, child_env):
    result = newscrawl(
        "read", "--store", filled, "--format", "parquet", "--source", "thebricspost", env=child_env
    )
    assert result.returncode == 0, result.stderr.decode()
    table = pq.read_table(pa.BufferReader(result.stdout))
    assert table.column("source").to_pylist() == ["thebricspost"]
    assert b"1 article; next checkpoint: 000000000001" in result.stderr


def test_read_into_a_pipe_closed_early_ends_without_traceback_or_checkpoint(tmp_path):
    # `newscrawl read | head -1`: the pipe closes long before 300 records (more than a pipe holds)
    # are written. No traceback, and no checkpoint: the articles not written were never delivered.
    store = f"file://{tmp_path / 'store'}"
    _write(store, [article(n) for n in range(300)])
    with subprocess.Popen(
        [sys.executable, "-m", "crawler", "read", "--store", store],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert json.loads(reader.stdout.readline())["source"] == "thebricspost"
        reader.stdout.close()
        stderr = reader.stderr.read().decode()
        assert reader.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert stderr == "", "quiet, as `git log | head` is: the exit status says it"
