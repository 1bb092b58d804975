"""`-o/-O FILE` on crawl and fetch (format from the extension), `fetch -i FILE --format`, and every
command ending quietly when its standard output is closed (`newscrawl … | head -1`)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.support.cli import FAST, ROOT, cli_env, run_cli

pytestmark = pytest.mark.slow


def crawl(registry_file, tmp_path, *args):
    return run_cli(
        "crawl", "daily-meridian", "--sources", str(registry_file), "--store", str(tmp_path / "store"),
        "--allow-private", *FAST, *args,
    )  # fmt: skip


def test_crawl_o_appends_and_capital_o_overwrites_with_typed_parquet_times(network, registry_file, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"earlier": true}\n')
    first = crawl(registry_file, tmp_path, "-o", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0] == {"earlier": True} and len(lines) == 1 + 5
    assert {line["source"] for line in lines[1:]} == {"daily-meridian"}
    parquet = tmp_path / "out.parquet"
    again = crawl(registry_file, tmp_path / "second", "-O", str(parquet))
    assert again.returncode == 0, again.stderr[-2000:]
    assert pq.read_table(parquet).num_rows == 5
    with duckdb.connect() as con:
        kinds = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE '{parquet}')").fetchall())
        latest = con.execute(f"SELECT max(published_at) FROM '{parquet}'").fetchone()[0]
    assert kinds["published_at"] == kinds["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert isinstance(latest, datetime) and latest.tzinfo is not None


def test_o_refuses_to_append_to_a_json_array(network, registry_file, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("[]")
    result = crawl(registry_file, tmp_path, "-o", str(out))
    assert result.returncode == 2
    assert "a .json file cannot be appended to; use -O to replace it" in result.stderr
    assert out.read_text() == "[]" and not (tmp_path / "store").exists()


def test_fetch_reads_urls_from_a_file_and_prints_markdown(network, tmp_path):
    urls = [network.url_of(a.outlet, a.path) for a in network.data.articles[:2]]
    listing = tmp_path / "urls.txt"
    listing.write_text("# today's list\n" + "\n".join(urls) + "\n\n")
    result = run_cli("fetch", "--allow-private", "-i", str(listing), "--format", "markdown")
    assert result.returncode == 0, result.stderr[-2000:]
    titles = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    assert len(titles) == 2 and f"<{urls[0]}>" in result.stdout


def test_fetch_from_standard_input_as_text_and_into_csv(network, tmp_path):
    url = network.url_of(network.data.articles[0].outlet, network.data.articles[0].path)
    out = tmp_path / "records.csv"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "fetch", "--allow-private", "-i", "-", "-O", str(out)],
        input=url + "\n", capture_output=True, text=True, cwd=ROOT, env=cli_env(), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "" and "1 record(s) written" in result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["url"] == url and row["title"]


def _closed_pipe(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI writing into a pipe whose reader has gone, as after `| head -1`."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "crawler", *argv], cwd=ROOT, env=cli_env(), stdout=write_end,
            stderr=subprocess.PIPE, input=stdin, text=True, timeout=300, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)


def test_every_command_ends_quietly_on_a_closed_pipe(network, registry_file, tmp_path):
    store = str(tmp_path / "store")
    url = network.url_of(network.data.articles[0].outlet, network.data.articles[0].path)
    records = json.dumps({"id": "a", "text": "one two three four five six seven"}) + "\n"
    commands = {
        "crawl": ["crawl", "daily-meridian", "--sources", str(registry_file), "--store", store,
                  "--allow-private", *FAST],
        "demo": ["demo", "--store", str(tmp_path / "demo-store")],
        "read": ["read", "--store", store],
        "stats": ["stats", "--store", store],
        "fetch": ["fetch", "--allow-private", url],
        "fetch-markdown": ["fetch", "--allow-private", "--format", "markdown", url],
        "sources": ["sources"],
        "dedup": ["dedup", "-"],
    }  # fmt: skip
    for name, argv in commands.items():
        result = _closed_pipe(*argv, stdin=records if name == "dedup" else None)
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, (
            name,
            result.stderr[-2000:],
        )
        assert "Broken pipe" not in result.stderr, (name, result.stderr[-2000:])
        assert result.returncode == 1, (name, result.returncode, result.stderr[-2000:])
