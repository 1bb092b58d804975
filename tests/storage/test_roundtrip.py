import gzip
import io
import json
from datetime import date

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.storage import ChecksumMismatch, Reader, RunWriter, StorageError
from crawler.storage.parquet import decode_parquet, parse_timestamp
from tests.storage.factories import article, cluster, page_for, raw_for, write_run


def test_articles_round_trip_with_every_field(store):
    records = [article(n) for n in range(4)]
    write_run(store, [dict(record) for record in records])
    stored = {record["id"]: record for record in Reader(store).articles()}
    assert set(stored) == {record["id"] for record in records}
    for record in records:
        got = dict(stored[record["id"]])
        assert got.pop("warc")["file"].startswith("warc/run=")
        assert got == record


def test_articles_are_partitioned_by_date_and_source(store):
    manifest = write_run(
        store, [article(1, day="2016-08-27"), article(2, source="other-outlet", day="2016-08-28")]
    )
    keys = sorted(entry["key"] for entry in manifest["objects"] if entry["kind"] == "articles")
    run = manifest["run_id"]
    assert keys == [
        f"articles/date=2016-08-27/source=thebricspost/part-{run}-00001.jsonl.gz",
        f"articles/date=2016-08-28/source=other-outlet/part-{run}-00001.jsonl.gz",
    ]


def test_article_without_published_at_is_filed_by_fetch_date(store):
    record = article(1)
    record["published_at"] = None
    manifest = write_run(store, [record])
    assert {entry.get("date") for entry in manifest["objects"] if entry["kind"] == "articles"} == {
        "2026-11-29"
    }


def test_parquet_copy_matches_jsonl(store):
    manifest = write_run(store, [article(n) for n in range(5)])
    reader = Reader(store)
    for entry in Reader.article_entries(manifest, kind="articles-parquet"):
        rows = decode_parquet(reader.read_object(entry))
        assert len(rows) == entry["records"]
        assert all(row["source"] == "thebricspost" and row["warc"]["length"] > 0 for row in rows)
    assert sum(e["records"] for e in Reader.article_entries(manifest, kind="articles-parquet")) == 5


def test_parquet_row_holds_every_field_of_the_jsonl_record(store):
    # A record as the pipeline stores it: discovery's announcement and the fields the Parquet
    # schema has no column for (kept in `extra`) included.
    record = article(1)
    record.update(
        revision=2,
        final_url=record["url"] + "?amp",
        discovered_via="sitemap",
        announced={
            "title": "Story 1",
            "published_at": "2016-08-27T10:00:00Z",
            "keywords": ["BRICS", "Russia"],
            "language": "en",
        },
    )
    manifest = write_run(store, [record])
    jsonl = next(Reader(store).articles())
    (entry,) = Reader.article_entries(manifest, kind="articles-parquet")
    (row,) = decode_parquet(Reader(store).read_object(entry))
    row.update(json.loads(row.pop("extra") or "{}"))
    # Times are typed in Parquet: compare them as times, not as the JSON's text.
    jsonl = _parse_times(jsonl)
    assert {key: value for key, value in row.items() if value is not None} == {
        key: value for key, value in jsonl.items() if value is not None
    }


def _parse_times(record):
    record = dict(record, announced=dict(record["announced"]))
    for holder, name in ((record, "published_at"), (record, "updated_at"), (record, "fetched_at"),
                         (record["announced"], "published_at")):  # fmt: skip
        holder[name] = parse_timestamp(holder[name]) if holder.get(name) else holder.get(name)
    return record


def test_warc_record_holds_the_raw_response(store):
    record = article(7)
    write_run(store, [record])
    stored = next(Reader(store).articles())
    raw = Reader(store).raw(stored)
    original = raw_for(article(7))
    assert (raw.url, raw.status, raw.body) == (original.url, 200, page_for(article(7)))
    assert Reader(store).raw(stored, decode=False).body == original.body  # as received: gzip
    assert raw.headers == original.headers  # Content-Encoding and Content-Length kept
    data = store.get_bytes(stored["warc"]["file"])
    with io.BytesIO(data) as stream:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)]
    assert record["url"] in uris


def test_each_warc_record_is_a_gzip_member_that_plain_zlib_inflates(store):
    # Records are compressed with ISA-L; readers that know only the standard library's gzip must
    # still read each record alone from its offset, and the whole file as one stream.
    write_run(store, [article(n) for n in range(3)])
    stored = list(Reader(store).articles())
    data = store.get_bytes(stored[0]["warc"]["file"])
    for record in stored:
        offset, length = record["warc"]["offset"], record["warc"]["length"]
        member = gzip.decompress(data[offset : offset + length])
        assert member.startswith(b"WARC/1.") and record["url"].encode() in member
    assert gzip.decompress(data).count(b"WARC/1.") == 3


def test_article_stored_without_raw_has_no_warc(store):
    write_run(store, [article(1)], raws=False)
    stored = next(Reader(store).articles())
    assert "warc" not in stored and Reader(store).raw(stored) is None


def test_clusters_keep_history_and_reader_returns_latest(store):
    write_run(store, [article(1)], [cluster("c1", ["a", "b"], "2026-11-29T10:00:00Z")])
    write_run(
        store,
        [article(2)],
        [cluster("c1", ["a", "b", "c"], "2026-11-29T11:00:00Z"), cluster("c2", ["d"], "x")],
    )
    reader = Reader(store)
    latest = {c["id"]: c for c in reader.clusters()}
    assert latest["c1"]["members"] == ["a", "b", "c"] and set(latest) == {"c1", "c2"}
    assert [len(c["members"]) for c in reader.cluster_history("c1")] == [2, 3]
    assert all(c["schema_version"] == 1 for c in latest.values())


def test_manifest_lists_every_object_with_size_and_sha256(store):
    manifest = write_run(store, [article(n) for n in range(4)], [cluster("c1", ["a"], "t")], batch_size=2)
    kinds = sorted({entry["kind"] for entry in manifest["objects"]})
    assert kinds == ["articles", "articles-parquet", "clusters", "warc"]
    for entry in manifest["objects"]:
        data = store.get_bytes(entry["key"])
        assert len(data) == entry["size"]
    assert manifest["counts"] == {"articles": 4, "clusters": 1, "warc_records": 4}
    assert manifest["stats"] == {"pages_fetched": 4}
    assert manifest["software"]["pyarrow"] and manifest["schema_version"] == 1
    assert json.loads(store.get_bytes(f"manifests/{manifest['checkpoint']}.json")) == manifest


def test_reader_filters_by_date_source_and_duplicates(store):
    original = article(1, day="2016-08-27")
    copy = article(2, source="other-outlet", day="2016-08-28", duplicate_of=original["id"])
    write_run(store, [original, copy, article(3, day="2016-08-29")])
    reader = Reader(store)
    assert {r["id"] for r in reader.articles(source="other-outlet")} == {copy["id"]}
    in_range = reader.articles(since=date(2016, 8, 28), until=date(2016, 8, 28))
    assert [r["id"] for r in in_range] == [copy["id"]]
    assert len(list(reader.articles(include_duplicates=False))) == 2


def test_uncommitted_and_aborted_runs_are_invisible(store):
    pending = RunWriter(store, batch_size=1)
    pending.add_article(article(1), raw_for(article(1)))  # flushed: its objects exist
    aborted = RunWriter(store, batch_size=1)
    aborted.add_article(article(2))
    aborted.abort()
    assert store.list("articles/")
    assert list(Reader(store).articles()) == [] and Reader(store).runs() == []
    with pytest.raises(StorageError, match="start a new RunWriter"):
        aborted.add_article(article(3))


def test_same_article_in_two_runs_is_read_once_latest_wins(store):
    write_run(store, [article(1, run_tag=" first")])
    write_run(store, [article(1, run_tag=" second"), article(2)])
    stored = list(Reader(store).articles())
    assert len(stored) == 2
    assert "second" in next(r for r in stored if r["id"] == article(1)["id"])["text"]


def test_changes_feed_returns_runs_after_checkpoint(store):
    first = write_run(store, [article(1)])
    second = write_run(store, [article(2)])
    reader = Reader(store)
    assert [c for c, _ in reader.changes(None)] == [first["checkpoint"], second["checkpoint"]]
    assert [m["run_id"] for _, m in reader.changes(first["checkpoint"])] == [second["run_id"]]
    assert list(reader.changes(second["checkpoint"])) == []
    assert [m["run_id"] for m in reader.runs()] == [first["run_id"], second["run_id"]]
    new = [r["id"] for _, m in reader.changes(first["checkpoint"]) for r in reader.run_articles(m)]
    assert new == [article(2)["id"]]


def test_changes_rejects_malformed_checkpoint(store):
    with pytest.raises(StorageError, match="12-digit checkpoint"):
        list(Reader(store).changes("../x"))


def test_reader_detects_altered_object(store, store_uri):
    manifest = write_run(store, [article(1)])
    entry = Reader.article_entries(manifest)[0]
    forged = gzip.compress(b'{"id": "forged", "source": "x"}\n')
    if store_uri.startswith("file://"):
        with open(store.url(entry["key"]), "wb") as handle:
            handle.write(forged)
    else:  # bypass the store's write-once API, as a careless tool with write access could
        store.client.put_object(Bucket=store.bucket, Key=store.prefix + entry["key"], Body=forged)
    with pytest.raises(ChecksumMismatch, match=entry["key"]):
        list(Reader(store).articles())
    assert [r["id"] for r in Reader(store).articles(verify=False)] == ["forged"]


def test_articles_after_checkpoint_reads_only_newer_runs(store):
    first = write_run(store, [article(1)])
    write_run(store, [article(2), article(1, run_tag=" again")])
    newer = list(Reader(store).articles(after=first["checkpoint"]))
    assert sorted(r["id"] for r in newer) == sorted([article(1)["id"], article(2)["id"]])
    assert all("again" in r["text"] for r in newer if r["id"] == article(1)["id"])
