"""End to end: the real CLI crawls the fake news network into file:// and SeaweedFS stores."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, run_cli
from tests.support.schema import validate

pytestmark = pytest.mark.slow


def crawl(registry_file, store_uri, *source_ids, env=None):
    result = run_cli(
        "crawl",
        *source_ids,
        "--sources",
        str(registry_file),
        "--store",
        store_uri,
        "--allow-private",
        *FAST,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def assert_clusters_match_ground_truth(articles, network):
    truth = network.article_urls()
    by_url = {a["url"]: a for a in articles}
    assert sorted(by_url) == sorted(truth), "every article present"
    assert len(articles) == len(truth), "and only once"
    clusters_of_story = defaultdict(set)
    stories_of_cluster = defaultdict(set)
    for url, story in truth.items():
        clusters_of_story[story].add(by_url[url]["cluster_id"])
        stories_of_cluster[by_url[url]["cluster_id"]].add(story)
    split = {story: ids for story, ids in clusters_of_story.items() if len(ids) > 1}
    merged = {cid: stories for cid, stories in stories_of_cluster.items() if len(stories) > 1}
    assert split == {}, "copies of one wire story share a cluster_id"
    assert merged == {}, "different stories never share one"


@pytest.mark.parametrize("backend", ["file", "s3"])
def test_crawl_stores_every_article_once_with_wire_copies_clustered(
    backend, network, registry_file, tmp_path, request
):
    if backend == "s3":
        uri, env = request.getfixturevalue("s3_uri"), request.getfixturevalue("s3_env")
    else:
        uri, env = f"file://{tmp_path / 'store'}", None
    result = crawl(registry_file, uri, env=env)
    assert "articles stored   13" in result.stdout
    reader = Reader(open_store(uri))
    articles = list(reader.articles())
    assert_clusters_match_ground_truth(articles, network)
    assert {a["id"]: validate(a) for a in articles} == {a["id"]: [] for a in articles}, (
        "records match the schema"
    )
    published = {a["id"]: a["published_at"] for a in articles}
    clusters = list(reader.clusters())
    assert len(clusters) == 4
    for cluster in clusters:  # no agency's own copy on this network: the earliest published leads
        assert cluster["origin"] == min((m["id"] for m in cluster["members"]), key=published.__getitem__)
    stories = set(network.article_urls().values())
    assert len(list(reader.articles(include_duplicates=False))) == len(stories)
    # FrozenHeap ran: the objects alive when the spider opened were kept from the collector.
    assert reader.runs()[-1]["stats"]["gc/frozen_objects"] > 10_000


def test_second_crawl_recognises_copies_of_what_the_first_stored(network, registry_file, tmp_path):
    uri = f"file://{tmp_path / 'store'}"
    crawl(registry_file, uri, "daily-meridian")
    crawl(registry_file, uri, "global-ledger", "harbour-times")
    articles = list(Reader(open_store(uri)).articles())
    assert_clusters_match_ground_truth(articles, network)
    truth = network.article_urls()
    first = {truth[a["url"]]: a for a in articles if a["source"] == "daily-meridian"}
    later_copies = [a for a in articles if a["source"] != "daily-meridian" and truth[a["url"]] in first]
    assert len(later_copies) == 4  # two BRICS copies, the floods and the bus story
    for copy in later_copies:  # matched against the index rebuilt from the store, not this run
        assert copy["match"] != "unique"
        assert copy["cluster_id"] == first[truth[copy["url"]]]["cluster_id"]


def test_second_run_over_an_unchanged_network_fetches_no_article_pages(network, registry_file, tmp_path):
    uri = f"file://{tmp_path / 'store'}"
    crawl(registry_file, uri)
    before = network.article_hits()
    second = crawl(registry_file, uri)
    assert network.article_hits() == before, "no article page fetched again"
    assert "articles stored   0" in second.stdout
    assert len(list(Reader(open_store(uri)).articles())) == len(before)


def test_an_agency_outlet_leads_the_clusters_of_its_stories(network, registry_file, tmp_path):
    # Declare Global Ledger to be the agency itself: its copies become their clusters' origins.
    agency_registry = tmp_path / "sources.toml"
    agency_registry.write_text(
        registry_file.read_text().replace('id = "global-ledger"', 'id = "global-ledger"\nagency = "Xinhua"')
    )
    uri = f"file://{tmp_path / 'store'}"
    crawl(agency_registry, uri)
    reader = Reader(open_store(uri))
    sources = {a["id"]: a["source"] for a in reader.articles()}
    origins = [
        sources[c["origin"]]
        for c in reader.clusters()
        if any(sources[m["id"]] == "global-ledger" for m in c["members"])
    ]
    assert origins and set(origins) == {"global-ledger"}


def test_a_second_crawl_with_nothing_new_is_quiet_not_an_alarm(network, registry_file, tmp_path):
    uri = f"file://{tmp_path / 'store'}"
    crawl(registry_file, uri)
    again = crawl(registry_file, uri)  # an hourly crawl in an hour when no outlet published
    assert "articles stored   0" in again.stdout
    assert "EMPTY" not in again.stdout and "anomal" not in again.stdout, again.stdout
    store = open_store(uri)
    report = json.loads(store.get_bytes(Reader(store).runs()[-1]["stats"]["run_report"]))
    assert report["anomalies"] == []
    assert {source: row["known"] > 0 for source, row in report["sources"].items()} == dict.fromkeys(
        report["sources"], True
    )
