"""A damaged seen-store object in a real store: the next crawl sets it aside, rebuilds what it knew
from the stored records, fetches no stored article again, and says so in its stats."""

from __future__ import annotations

import gzip

import pytest

from crawler.frontier.seen import SEEN_PREFIX
from crawler.frontier.seenstate import QUARANTINE_PREFIX
from crawler.storage import Reader, open_store
from tests.storage.factories import flip_bit, overwrite
from tests.support.cli import FAST, run_cli

pytestmark = pytest.mark.slow


def _crawl(registry_file, store_uri, env):
    result = run_cli(
        "crawl", "daily-meridian", "--sources", str(registry_file), "--store", store_uri, "--allow-private",
        *FAST, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def _last_run_stats(store_uri):
    with open_store(store_uri) as store:
        return Reader(store).runs()[-1]["stats"]


@pytest.mark.parametrize("damage", [b"garbage", gzip.compress(b"[1,2,3]")], ids=["garbage", "array"])
def test_a_damaged_seen_object_is_set_aside_and_nothing_stored_is_fetched_again(
    damage, network, registry_file, store_uri, child_env
):
    _crawl(registry_file, store_uri, child_env)
    with open_store(store_uri) as store:
        [delta] = store.list(SEEN_PREFIX + "delta/")
        overwrite(store, delta, damage)
        stored = len(list(Reader(store).articles()))
    before = network.article_hits()

    second = _crawl(registry_file, store_uri, child_env)
    assert network.article_hits() == before, "no stored article fetched again"
    assert "articles stored   0" in second.stdout
    assert "is damaged" in second.stderr
    stats = _last_run_stats(store_uri)
    assert (stats["seen/quarantined_count"], stats["seen/rebuilt_count"]) == (1, stored)
    with open_store(store_uri) as store:
        assert store.get_bytes(QUARANTINE_PREFIX + delta) == damage

    third = _crawl(registry_file, store_uri, child_env)  # healed: the damaged object is behind us
    assert "is damaged" not in third.stderr and "seen/quarantined_count" not in _last_run_stats(store_uri)
    assert network.article_hits() == before


def test_a_crawl_starts_past_a_damaged_part_and_says_which(network, registry_file, store_uri, child_env):
    _crawl(registry_file, store_uri, child_env)
    with open_store(store_uri) as store:
        part = Reader.article_entries(Reader(store).runs()[-1])[0]
        flip_bit(store, part["key"])
    second = _crawl(registry_file, store_uri, child_env)  # the dedup index is restored without it
    assert f"not restoring from {part['key']}" in second.stderr
