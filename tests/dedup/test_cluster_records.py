"""Stored cluster records follow regrouping: with only the latest record of each cluster, as the
crawl writes them at commit, a reader keeps exactly the current origins (`read --no-duplicates`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.storage.reader import is_copy
from dedup import Deduplicator, Document
from tests.dedup.stories import story, text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_latest_cluster_records_name_the_current_origins_after_regrouping() -> None:
    dd = Deduplicator()
    body, other = story(40, paragraphs=12), story(41, paragraphs=6)
    arrivals = [
        Document("head", text(body[:4]), published_at=T0 + timedelta(hours=5)),
        Document("tail", text(body[8:]), published_at=T0 + timedelta(hours=6)),
        Document("single", text(other), published_at=T0 + timedelta(hours=1)),
        # Published first and holding both parts: becomes the origin and joins the two clusters.
        Document("whole", text(body), published_at=T0 + timedelta(hours=2)),
    ]
    stored: dict[str, dict[str, Any]] = {}  # article id -> its record as written at its add
    latest: dict[str, dict[str, Any]] = {}  # cluster id -> its latest record
    for document in arrivals:
        verdict = dd.add(document)
        stored[document.id] = {"id": document.id, "duplicate_of": verdict.duplicate_of}
        for cluster_id in dd.changed_clusters():  # what the crawl writes at each commit
            latest[cluster_id] = dd.cluster_record(cluster_id)
    origins = {m["id"]: c["origin"] for c in latest.values() for m in c["members"]}
    assert stored["head"]["duplicate_of"] is None, "head was alone when its record was written"
    kept = {doc_id for doc_id, record in stored.items() if not is_copy(record, origins)}
    assert kept == {"whole", "single"}
