"""`-o FILE` / `-O FILE` on `crawl` and `fetch`, as on `scrapy crawl`: append to or overwrite FILE,
the format taken from its extension (.jsonl, .json, .csv, .parquet). `crawl` hands the file to
Scrapy's FEEDS; `fetch` writes its records through the same exporters.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter, CsvItemExporter, JsonItemExporter, JsonLinesItemExporter

from crawler.cli.errors import UsageError
from crawler.storage.parquet import ARTICLE_SCHEMA, article_row

# Extension -> Scrapy feed format name.
FORMATS = {".jsonl": "jsonlines", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
# A JSON array or a Parquet file cannot take more records at its end and stay readable.
_NOT_APPENDABLE = {"json", "parquet"}
_ROW_GROUP = 1000


class ParquetItemExporter(BaseItemExporter):
    """Records as `read --format parquet` and the store write them (ARTICLE_SCHEMA), in row groups
    of 1000 so memory stays flat however long the crawl."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.rows: list[dict[str, Any]] = []
        self.writer: pq.ParquetWriter | None = None

    def start_exporting(self) -> None:
        self.writer = pq.ParquetWriter(self.file, ARTICLE_SCHEMA, compression="zstd")

    def export_item(self, item: Any) -> None:
        self.rows.append(article_row(ItemAdapter(item).asdict()))
        if len(self.rows) >= _ROW_GROUP:
            self._flush()

    def finish_exporting(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()

    def _flush(self) -> None:
        if self.rows and self.writer is not None:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=ARTICLE_SCHEMA))
            self.rows = []


EXPORTERS: dict[str, Callable[..., BaseItemExporter]] = {
    "jsonlines": JsonLinesItemExporter,
    "json": JsonItemExporter,
    "csv": CsvItemExporter,
    "parquet": ParquetItemExporter,
}


@dataclass(frozen=True)
class OutputFile:
    path: Path
    format: str
    overwrite: bool

    @property
    def option(self) -> str:
        return f"{'-O' if self.overwrite else '-o'} {self.path}"


def add_output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    kinds = ", ".join(FORMATS)
    group.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"append the records to FILE; format from its extension ({kinds})",
    )
    group.add_argument("-O", "--overwrite-output", metavar="FILE", help="as -o, but replace FILE")


def output_file(args: argparse.Namespace) -> OutputFile | None:
    """The checked -o/-O file, refused here rather than after a crawl: an unknown extension, a path
    that cannot be written, or an append to a format that cannot take one."""
    text, overwrite = (args.overwrite_output, True) if args.overwrite_output else (args.output, False)
    if text is None:
        return None
    option = f"{'-O' if overwrite else '-o'} {text}"
    path = Path(text)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{option}: give a file ending in {', '.join(FORMATS)}; the format follows it")
    if path.is_dir():
        raise UsageError(f"{option} is a directory; give a file name")
    parent = path.resolve().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise UsageError(f"{option}: {parent} is not a directory this user can write to")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{option}: the file is not writable")
    if not overwrite and fmt in _NOT_APPENDABLE and path.exists() and path.stat().st_size:
        raise UsageError(f"{option}: a {path.suffix} file cannot be appended to; use -O to replace it")
    return OutputFile(path.resolve(), fmt, overwrite)


def feed_settings(output: OutputFile) -> dict[str, Any]:
    """Scrapy settings that make the crawl export its records to `output`."""
    return {
        "FEEDS": {
            output.path.as_uri(): {
                "format": output.format,
                "overwrite": output.overwrite,
                "encoding": "utf-8",
            }
        },
        "FEED_EXPORTERS": {"parquet": f"{__name__}.ParquetItemExporter"},
    }


def write_records(output: OutputFile, records: Iterable[dict[str, Any]]) -> int:
    """Write `records` as a feed would; returns how many."""
    count = 0
    try:
        with output.path.open("wb" if output.overwrite else "ab") as handle:
            exporter = EXPORTERS[output.format](handle, encoding="utf-8")
            exporter.start_exporting()
            for record in records:
                exporter.export_item(record)
                count += 1
            exporter.finish_exporting()
    except OSError as error:
        raise UsageError(f"{output.option}: cannot write it ({error.strerror})") from None
    return count
