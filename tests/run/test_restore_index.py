"""A crawl's start-up re-indexes the stored articles of the dedup window (crawler.run.state.restore_index)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.run.state import restore_index
from crawler.storage import Reader, RunWriter, open_store
from dedup import DedupConfig, Deduplicator, Document, compute_signature
from tests.storage.factories import article

STORY = (
    "The central bank kept its policy rate unchanged on Thursday and said inflation would ease "
    "through the second half of the year as food prices fell and the currency held steady against "
    "the dollar, while growth in manufacturing and services stayed close to its long-run average."
)


def _stored(n: int, minhash: dict[str, str]) -> dict[str, object]:
    # Filed yesterday (at 10:mm): published before the copy below whatever the time of day, so the
    # stored story stays the origin (today's 10:00 is still to come in the morning).
    record = article(n, day=(datetime.now(UTC) - timedelta(days=1)).date().isoformat())
    record.update(text=f"{STORY} Story {n}.", minhash=minhash)
    return record


def test_damaged_or_foreign_stored_signatures_are_recomputed_not_fatal(tmp_path: Path) -> None:
    config = DedupConfig()
    good = compute_signature(f"{STORY} Story 0.", config).to_record()
    damaged = dict(good, hashvalues="not base64 at all!")
    foreign = dict(good, tag="mh64-w3-v0")  # other MinHash parameters than this index's
    with open_store(f"file://{tmp_path}") as store:
        writer = RunWriter(store)
        for n, minhash in enumerate((good, damaged, foreign)):
            writer.add_article(_stored(n, minhash))
        writer.commit({})
        dedup = Deduplicator(config)
        assert restore_index(dedup, Reader(store), timedelta(days=30), {}) == 3
    copy = Document(id="copy", text=f"{STORY} Story 1.", published_at=datetime.now(UTC))
    assert dedup.add(copy).duplicate_of is not None
