"""The archive dedup's shared SQL on Spark (local mode): the same candidate pairs as on DuckDB."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from functools import reduce

import pytest

from dedup import DedupConfig
from dedup.archive import ArchiveDedup
from dedup.archive import sql as archive_sql
from tests.dedup.stories import EVAL_SET
from tests.dedup.test_archive import signed, write_part

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java 17 or later", allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("newscrawl-archive-dedup-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_shared_sql_gives_spark_the_candidate_pairs_duckdb_gives(tmp_path, spark):
    import json

    from pyspark.sql import DataFrame
    from pyspark.sql.functions import lit

    docs = [json.loads(line) for line in EVAL_SET.read_text().splitlines()][:120]
    parts = [
        (write_part(tmp_path / f"p{n}.parquet", [signed(doc) for doc in docs[n::2]]), n) for n in range(2)
    ]
    config, now_us = DedupConfig(), 2_000_000_000_000_000
    work = tmp_path / "work"
    work.mkdir()
    with ArchiveDedup(work, config, memory_limit="256MB", threads=1, now=now_us / 1e6) as archive:
        archive.load(parts, {})
        list(archive.clusters())
        expected = archive.engine.connection.execute(
            "SELECT d1.id, d2.id FROM candidates c JOIN documents d1 ON d1.doc = c.left_doc "
            "JOIN documents d2 ON d2.doc = c.right_doc"
        ).fetchall()

    frames = [spark.read.parquet(path).withColumn("part_order", lit(order)) for path, order in parts]
    reduce(DataFrame.unionByName, frames).createOrReplaceTempView("articles")
    spark.createDataFrame([(band,) for band in range(config.lsh_bands)], "band int").createOrReplaceTempView(
        "bands"
    )
    spark.createDataFrame([], "doc long, signature string").createOrReplaceTempView("resigned")
    latest_us = now_us + int(config.max_future.total_seconds() * 1_000_000)
    for statement in (
        archive_sql.documents(config, latest_us),
        archive_sql.band_keys(config),
        archive_sql.buckets(),
        archive_sql.candidates(config),
    ):
        spark.sql(statement.sql).cache().createOrReplaceTempView(statement.name)
    found = spark.sql(
        "SELECT d1.id, d2.id FROM candidates c JOIN documents d1 ON d1.doc = c.left_doc "
        "JOIN documents d2 ON d2.doc = c.right_doc"
    ).collect()
    assert len(expected) > 100
    assert sorted(tuple(row) for row in found) == sorted(expected)
