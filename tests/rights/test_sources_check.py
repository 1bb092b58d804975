"""`newscrawl sources --check` prints each outlet's TDM stance, and a clear line for one it cannot reach."""

from __future__ import annotations

import pytest

from tests.rights.outlets import OUTLETS, POLICY, start_outlets
from tests.support.cli import run_cli
from tests.support.crawl import source, write_registry

pytestmark = pytest.mark.slow


def check(tmp_path, entries, *extra):
    registry = write_registry(tmp_path / "sources.toml", entries)
    return run_cli("sources", "--sources", str(registry), "--check", *extra, timeout=120)


def stance_lines(stdout):
    return {line.split()[0]: line.split(None, 1)[1] for line in stdout.splitlines() if line.startswith("  ")}


def test_check_prints_each_outlets_stance(tmp_path, sites):
    outlets = start_outlets(sites)
    result = check(
        tmp_path, [source(site, source_id) for source_id, site in outlets.items()], "--allow-private"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert stance_lines(result.stdout) == {
        # Its tdmrep.json reserves /news/ only: the line says so rather than "not reserved".
        "by-file": "not reserved for the homepage (no TDMRep or AI-crawler rules); tdmrep.json reserves /news/",
        "by-header": f"reserved (by header, policy {POLICY})",
        "by-meta": f"reserved (by meta, policy {POLICY})",
        "by-robots": "reserved (by robots)",
        "plain": "not reserved (no TDMRep or AI-crawler rules)",
    }
    assert len(stance_lines(result.stdout)) == len(OUTLETS)
    for site in outlets.values():
        assert len(site.hits_for("/.well-known/tdmrep.json")) == 1
        assert len(site.hits_for("/robots.txt")) == 1


def test_check_names_an_outlet_whose_robots_txt_keeps_newscrawl_out(tmp_path, sites):
    site = sites("127.0.0.2")
    site.add("/robots.txt", "User-agent: newscrawl\nDisallow: /\n", content_type="text/plain")
    result = check(tmp_path, [source(site, "closed")], "--allow-private")
    assert result.returncode == 0, result.stderr[-2000:]
    assert stance_lines(result.stdout) == {
        "closed": "disallowed (robots.txt keeps newscrawl off its homepage: nothing is fetched)"
    }


def test_check_without_a_reachable_outlet_prints_one_error_line_each(tmp_path):
    entries = [
        {"id": "refused", "name": "Refused", "homepage": "http://127.0.0.9:9/"},
        {"id": "nowhere", "name": "Nowhere", "homepage": "https://no-such-outlet.invalid/"},
    ]
    result = check(tmp_path, entries, "--allow-private")
    assert result.returncode == 1
    lines = stance_lines(result.stdout)
    assert sorted(lines) == ["nowhere", "refused"]
    assert all(line.startswith("unknown: ") for line in lines.values()), lines
    assert lines["refused"].startswith("unknown: unreachable: robots.txt of 127.0.0.9:9 unreachable")
    assert "Traceback" not in result.stderr + result.stdout


def test_check_refuses_a_private_outlet_without_allow_private_with_a_clear_line(tmp_path, sites):
    site = sites("127.0.0.2")
    result = check(tmp_path, [source(site, "local")])
    assert result.returncode == 1
    (line,) = stance_lines(result.stdout).values()
    assert line.startswith("unknown: refused_"), line
    assert "Traceback" not in result.stderr
