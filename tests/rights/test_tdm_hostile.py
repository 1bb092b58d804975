"""A hostile tdmrep.json (huge, nested deep, malformed) is a counted skip: the crawl goes on and the
outlet's articles are stored as not reserved."""

from __future__ import annotations

import json

import pytest

from crawler.storage import Reader, open_store
from tests.rights.outlets import ARTICLES_EACH, crawl, plant

pytestmark = pytest.mark.slow

HOSTILE = {
    "huge": json.dumps([{"location": f"/x{i}/", "tdm-reservation": 1} for i in range(20_000)]),
    "deep": "[" * 200_000 + "]" * 200_000,
    "malformed": '[{"location": "/", "tdm-reservation": 1},',
}


def test_a_hostile_tdmrep_json_is_counted_and_read_as_no_reservation(tmp_path, sites):
    outlets = {}
    for n, (source_id, body) in enumerate(HOSTILE.items(), start=2):
        site = outlets[source_id] = sites(f"127.0.0.{n}")
        plant(site, source_id, None)
        site.add("/.well-known/tdmrep.json", body, content_type="application/json")
    assert len(HOSTILE["huge"]) > 256 * 1024 and len(HOSTILE["deep"]) <= 1024 * 1024
    _, articles, _ = crawl(tmp_path, outlets, "-s", "NEWSCRAWL_TDMREP_MAX_BYTES=1048576")
    assert len(articles) == ARTICLES_EACH * len(HOSTILE)
    assert {a["rights"]["tdm_reserved"] for a in articles} == {False}
    stats = Reader(open_store(f"file://{tmp_path / 'store'}")).runs()[-1]["stats"]
    assert stats["rights/tdmrep_invalid_count"] == 2  # deep and malformed
    assert stats["rights/tdmrep_found_count"] == 1  # huge, but JSON: its first rules are read


def test_a_tdmrep_json_over_the_size_cap_is_not_read(tmp_path, sites):
    site = sites("127.0.0.2")
    plant(site, "huge", "tdmrep.json")  # reserves everything, but in a file larger than the cap
    rules = [{"location": "/", "tdm-reservation": 1}] + [
        {"location": f"/x{i}/", "tdm-reservation": 1} for i in range(20_000)
    ]
    site.add("/.well-known/tdmrep.json", json.dumps(rules), content_type="application/json")
    _, articles, _ = crawl(tmp_path, {"huge": site})
    assert len(articles) == ARTICLES_EACH
    assert {a["rights"]["tdm_reserved"] for a in articles} == {False}
    stats = Reader(open_store(f"file://{tmp_path / 'store'}")).runs()[-1]["stats"]
    assert stats["rights/tdmrep_unavailable_count"] == 1
