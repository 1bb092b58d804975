"""A real `newscrawl crawl` records each outlet's TDM stance on its articles, and skips reserved
outlets when told to (globally or per source), counting what it skipped and naming the outlets."""

from __future__ import annotations

import json
import time
from collections import defaultdict

import pytest

from tests.rights.outlets import ARTICLES_EACH, OUTLETS, POLICY, crawl, plant, start_outlets
from tests.support.fakesite import Reply
from tests.support.schema import validate

pytestmark = pytest.mark.slow

SIGNALS = {source_id: signal for source_id, _, signal in OUTLETS}
RESERVED = sorted(source_id for source_id, signal in SIGNALS.items() if signal)


def by_source(articles):
    grouped = defaultdict(list)
    for article in articles:
        grouped[article["source"]].append(article)
    return grouped


def test_every_article_carries_its_outlets_stance_and_signal(tmp_path, sites):
    outlets = start_outlets(sites)
    result, articles, report = crawl(tmp_path, outlets)
    grouped = by_source(articles)
    assert {s: len(a) for s, a in grouped.items()} == dict.fromkeys(SIGNALS, ARTICLES_EACH), "all stored"
    for source_id, signal in SIGNALS.items():
        for article in grouped[source_id]:
            rights = article["rights"]
            assert rights["tdm_reserved"] is bool(signal), source_id
            assert rights["signal"] == signal, source_id
            # robots.txt names no policy; the TDMRep signals carry the outlet's.
            assert rights["policy"] == (POLICY if signal and signal != "robots" else None), source_id
            assert rights["seen_at"].endswith("+00:00")
    assert [a["id"] for a in articles if validate(a)] == [], "records match the schema"
    assert report["tdm_reserved"] == {
        source_id: {
            "signal": SIGNALS[source_id],
            "policy": None if SIGNALS[source_id] == "robots" else POLICY,
            "skipped": 0,
        }
        for source_id in RESERVED
    }
    assert "text and data mining reserved:" in result.stdout
    for site in outlets.values():  # once per host per run
        assert len(site.hits_for("/.well-known/tdmrep.json")) == 1


def test_the_global_setting_skips_reserved_outlets_and_a_source_can_opt_back_in(tmp_path, sites):
    outlets = start_outlets(sites)
    result, articles, report = crawl(
        tmp_path,
        outlets,
        "-s",
        "NEWSCRAWL_SKIP_TDM_RESERVED=true",
        **{"by-header": {"skip_tdm_reserved": False}},
    )
    stored = {s: len(a) for s, a in by_source(articles).items()}
    assert stored == {"plain": ARTICLES_EACH, "by-header": ARTICLES_EACH}
    skipped = {s: row["tdm_reserved"] for s, row in report["sources"].items()}
    assert skipped == {**dict.fromkeys(RESERVED, ARTICLES_EACH), "by-header": 0, "plain": 0}
    assert sorted(report["tdm_reserved"]) == RESERVED, "the report names every reserved outlet"
    assert report["tdm_reserved"]["by-meta"]["skipped"] == ARTICLES_EACH
    assert "by-file: by tdmrep.json" in result.stdout
    # tdmrep.json and robots.txt are read before the articles: those are never downloaded at all.
    assert outlets["by-file"].hits_for("/news/") == []
    assert outlets["by-robots"].hits_for("/news/") == []
    assert all(row["http_errors"] == 0 for row in report["sources"].values())
    assert report["anomalies"] == [], "a skip the run was told to make is no breakage"


def test_a_source_switch_skips_one_reserved_outlet_while_the_others_are_recorded(tmp_path, sites):
    outlets = start_outlets(sites)
    _, articles, report = crawl(tmp_path, outlets, **{"by-meta": {"skip_tdm_reserved": True}})
    stored = {s: len(a) for s, a in by_source(articles).items()}
    assert stored == {s: ARTICLES_EACH for s in SIGNALS if s != "by-meta"}
    assert report["sources"]["by-meta"]["tdm_reserved"] == ARTICLES_EACH
    assert report["tdm_reserved"]["by-meta"]["skipped"] == ARTICLES_EACH
    assert report["tdm_reserved"]["by-file"]["skipped"] == 0


def test_every_article_waiting_on_a_slow_tdmrep_json_gets_its_answer(tmp_path, sites):
    site = sites("127.0.0.2")
    plant(site, "slow", "tdmrep.json", count=6)
    rules = json.dumps([{"location": "/news/", "tdm-reservation": 1}]).encode()

    def slow(hit):
        time.sleep(1.0)  # every article request of the host meets the file still being read
        return Reply(200, rules, {"Content-Type": "application/json"})

    site.routes["/.well-known/tdmrep.json"] = slow
    _, articles, _ = crawl(tmp_path, {"slow": site}, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    assert len(articles) == 6
    assert {(a["rights"]["tdm_reserved"], a["rights"]["signal"]) for a in articles} == {(True, "tdmrep.json")}
    assert len(site.hits_for("/.well-known/tdmrep.json")) == 1
