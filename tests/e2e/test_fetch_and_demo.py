"""`newscrawl fetch` and `newscrawl demo` as a user runs them."""

from __future__ import annotations

import re

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, json_lines, run_cli, start_cli

pytestmark = pytest.mark.slow


def test_fetch_prints_the_record_and_writes_nothing_without_store(network, registry_file, tmp_path):
    url = network.url_of("daily-meridian", network.data.articles_of("daily-meridian")[0].path)
    given = url + "?utm_source=newsletter"
    env = {"NEWSCRAWL_STORE": f"file://{tmp_path / 'index'}"}
    result = run_cli("fetch", given, "--sources", str(registry_file), "--allow-private", *FAST, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    (record,) = json_lines(result.stdout)
    assert record["url"] == given
    assert record["final_url"].startswith(url)
    assert record["title"] == "BRICS finance ministers agree to widen local-currency settlement"
    assert record["source"] == "daily-meridian"
    assert record["match"] == "unique" and record["duplicate_of"] is None
    assert "Finance ministers and central bank governors of the BRICS countries" in record["text"]
    assert (
        not (tmp_path / "index").exists() or list(Reader(open_store(env["NEWSCRAWL_STORE"])).articles()) == []
    )


def test_fetch_gives_a_verdict_against_the_store_and_writes_with_store(network, registry_file, tmp_path):
    store = f"file://{tmp_path / 'store'}"
    first = network.url_of("daily-meridian", network.data.articles_of("daily-meridian")[0].path)
    copy = network.url_of(
        "global-ledger", network.data.articles_of("global-ledger")[0].path
    )  # published later
    stored = run_cli(
        "fetch", first, "--store", store, "--sources", str(registry_file), "--allow-private", *FAST
    )
    assert stored.returncode == 0, stored.stderr[-2000:]
    verdict = run_cli(
        "fetch",
        copy,
        "--sources",
        str(registry_file),
        "--allow-private",
        *FAST,
        env={"NEWSCRAWL_STORE": store},
    )
    (record,) = json_lines(verdict.stdout)
    assert record["source"] == "global-ledger"  # by the URL's origin, though every outlet is on 127.0.0.1
    assert record["duplicate_of"] == json_lines(stored.stdout)[0]["id"]
    assert [a["url"] for a in Reader(open_store(store)).articles()] == [first]


def test_fetch_reports_failures_as_json_lines_with_exit_codes(network, registry_file):
    missing = network.url_of("harbour-times", "/2020/01/01/no-such-story/")
    result = run_cli("fetch", missing, "--sources", str(registry_file), "--allow-private", *FAST)
    assert result.returncode == 1
    (line,) = json_lines(result.stdout)
    assert line["url"] == missing and "404" in line["error"]
    bad = run_cli("fetch", "ftp://example.com/file")
    assert bad.returncode == 2
    assert "only http:// and https://" in json_lines(bad.stdout)[0]["error"]


def test_demo_runs_offline_and_shows_clusters(tmp_path):
    result = run_cli("demo", "--store", f"file://{tmp_path / 'demo'}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Articles per outlet:" in result.stdout
    assert "Clusters of syndicated copies: 4" in result.stdout
    assert "newscrawl read" in result.stdout


def test_a_second_demo_stores_nothing_new_and_says_so(tmp_path):
    store = f"file://{tmp_path / 'demo'}"
    first = run_cli("demo", "--store", store)
    assert first.returncode == 0, first.stderr[-3000:]
    stats_after_first = run_cli("stats", "--store", store).stdout
    second = run_cli("demo", "--store", store)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "note: the demo port" not in first.stdout + second.stdout, "another program holds a demo port"
    assert re.search(r"articles stored\s+0\n", second.stdout)
    assert "Nothing new" in second.stdout
    articles = [line for line in run_cli("stats", "--store", store).stdout.splitlines() if "Articles" in line]
    assert articles == [line for line in stats_after_first.splitlines() if "Articles" in line]
    assert len(list(Reader(open_store(store)).articles())) == 13


def test_demo_serve_keeps_the_network_up_for_fetch_and_crawl(tmp_path):
    server = start_cli("demo", "--serve")
    try:
        assert server.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].strip().startswith("newscrawl fetch"):
            line = server.stdout.readline()
            assert line, "demo --serve ended before printing its commands"
            lines.append(line)
        fetch = next(line.split() for line in lines if line.strip().startswith("newscrawl fetch"))
        crawl = next(line.split() for line in lines if line.strip().startswith("newscrawl crawl"))
        fetched = run_cli(*fetch[1:], *FAST)
        assert fetched.returncode == 0, fetched.stderr[-2000:]
        (record,) = json_lines(fetched.stdout)
        assert record["title"] and record["text"]
        store = f"file://{tmp_path / 'store'}"
        crawled = run_cli(*crawl[1:], "--store", store, *FAST)
        assert crawled.returncode == 0, crawled.stderr[-2000:]
        assert len(list(Reader(open_store(store)).articles())) == 13
    finally:
        server.terminate()
        server.communicate(timeout=30)  # reaps it and closes its pipes
    assert server.returncode == 0
