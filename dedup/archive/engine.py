"""The embedded engine: a DuckDB database in a work directory, its memory capped, spilling to disk.

Runs the shared statements of `dedup.archive.sql`, streams query results as Arrow record batches,
and reads the Parquet parts (and the runner's own Parquet outputs) as the tables the SQL expects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dedup.archive.sql import DUCKDB_SHIMS, Statement

_ARTICLE_COLUMNS = "a.id, a.source, a.minhash, a.duplicate_of, a.text, a.title"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckEngine:
    """One DuckDB database file under `workdir`; `memory_limit` (e.g. "2GB") bounds its buffers and
    what does not fit goes to `workdir/spill`."""

    def __init__(self, workdir: Path, memory_limit: str, threads: int) -> None:
        self.workdir = workdir
        self.connection = duckdb.connect(str(workdir / "archive.duckdb"))
        for setting in (
            f"SET memory_limit = {_literal(memory_limit)}",
            f"SET temp_directory = {_literal(str(workdir / 'spill'))}",
            f"SET threads = {int(threads)}",
            "SET preserve_insertion_order = false",
            "SET TimeZone = 'UTC'",
        ):
            self._run(setting)
        for shim in DUCKDB_SHIMS:
            self._run(shim)

    def close(self) -> None:
        self.connection.close()

    def _run(self, sql: str) -> list[tuple[Any, ...]]:
        # Fetched to the end: DuckDB refuses other work on a connection with a result left open.
        return self.connection.execute(sql).fetchall()

    def load_articles(self, parts: Sequence[tuple[str, int]]) -> None:
        """`articles` over the Parquet files `parts` names, each with its part_order."""
        self.load_arrow(
            "parts",
            pa.table({"file": [path for path, _order in parts], "part_order": [o for _p, o in parts]}),
        )
        files = ", ".join(_literal(path) for path, _order in parts)
        # Parts from before typed timestamps hold published_at as text: the cast reads both.
        self._run(
            f"CREATE VIEW articles AS SELECT {_ARTICLE_COLUMNS}, "
            "CAST(a.published_at AS TIMESTAMPTZ) AS published_at, p.part_order "
            f"FROM read_parquet([{files}], filename = true, union_by_name = true) a "
            "JOIN parts p ON p.file = a.filename"
        )

    def load_mapping(self, name: str, columns: tuple[str, str], rows: Mapping[str, str]) -> None:
        self.load_arrow(name, pa.table({columns[0]: list(rows), columns[1]: list(rows.values())}))

    def load_arrow(self, name: str, table: pa.Table) -> None:
        """A table `name` holding `table`'s rows (copied into the database)."""
        self.connection.register("_incoming", table)
        try:
            self._run(f"CREATE TABLE {name} AS SELECT * FROM _incoming")
        finally:
            self.connection.unregister("_incoming")

    def load_parquet(self, name: str, path: Path, schema: pa.Schema) -> None:
        """A view `name` over a Parquet file the runner wrote (an empty table when it wrote none)."""
        if path.exists():
            self._run(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_literal(str(path))})")
        else:
            self.load_arrow(name, schema.empty_table())

    def create(self, statement: Statement) -> int:
        """Run a statement that makes a table; returns its row count."""
        assert statement.name is not None
        self._run(f"CREATE TABLE {statement.name} AS {statement.sql}")
        rows = self._run(f"SELECT count(*) FROM {statement.name}")
        return int(rows[0][0])

    def stream(self, statement: Statement, rows: int) -> Iterator[pa.RecordBatch]:
        """The query's rows in record batches of about `rows`, on a cursor of its own (so another
        query may run while this one is read)."""
        cursor = self.connection.cursor()
        try:
            relation = cursor.sql(statement.sql)
            # DuckDB 2 renamed record_batch to to_arrow_reader.
            name = "to_arrow_reader" if hasattr(relation, "to_arrow_reader") else "record_batch"
            batches: Iterator[pa.RecordBatch] = getattr(relation, name)(rows)
            yield from batches
        finally:
            cursor.close()
