"""Downstream SQL: DuckDB reads the Parquet copy over the Hive partitions (file backend; DuckDB's S3
support is an extension download, which the offline suite cannot do)."""

from datetime import date

import duckdb

from crawler.storage import Reader, RunWriter, open_store
from tests.storage.factories import article


def _write(store, records):
    writer = RunWriter(store)
    for record in records:
        writer.add_article(record)
    return writer.commit({})


def test_duckdb_reads_committed_parquet_with_hive_partitions(tmp_path):
    store = open_store(str(tmp_path))
    _write(
        store,
        [article(n, source="outlet-a" if n % 2 else "outlet-b", day=f"2016-08-2{n % 3}") for n in range(9)],
    )
    updated = article(1, source="outlet-a", day="2016-08-21", run_tag=" updated")
    updated["fetched_at"] = "2026-11-30T00:00:00Z"
    _write(store, [updated])
    killed = RunWriter(store, batch_size=1)
    killed.add_article(article(99, day="2016-08-21"))  # flushed but never committed
    urls = Reader(store).parquet_urls()
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT date, source, count(DISTINCT id) FROM read_parquet(?, hive_partitioning = true, union_by_name = true) "
            "WHERE date = DATE '2016-08-21' GROUP BY ALL ORDER BY ALL",
            [urls],
        ).fetchall()
        assert rows == [(date(2016, 8, 21), "outlet-a", 2), (date(2016, 8, 21), "outlet-b", 1)]
        latest = con.execute(
            "SELECT text FROM read_parquet(?, hive_partitioning = true) "
            "WHERE id = ? ORDER BY fetched_at DESC LIMIT 1",
            [urls, updated["id"]],
        ).fetchone()
        assert "updated" in latest[0]
        # A plain glob over the partitions works too, but also sees the uncommitted run's part.
        globbed = con.execute(
            f"SELECT count(*) FROM read_parquet('{tmp_path}/articles/*/*/*.parquet', "
            "hive_partitioning = true)"
        ).fetchone()
        assert globbed[0] == 9 + 1 + 1


def test_parquet_urls_filter_by_partition(tmp_path):
    store = open_store(str(tmp_path))
    _write(store, [article(1, day="2016-08-27"), article(2, source="other", day="2016-08-28")])
    reader = Reader(store)
    assert len(reader.parquet_urls()) == 2
    assert [u.split("/")[-3:-1] for u in reader.parquet_urls(source="other")] == [
        ["date=2016-08-28", "source=other"]
    ]
    assert reader.parquet_urls(since=date(2016, 8, 29)) == []
