"""What a record type costs per article: building the record the crawl hands on (a dict: Scrapy
items, dedup, the writer and JSON all take one) with the dict literal the crawl wrote before, with
`ArticleRecord` (a TypedDict: the dict itself, typed), and with a dataclass, a msgspec Struct or a
pydantic model of the same fields followed by their conversion to that dict. Then the stored forms
every path shares: the JSON line, and the Parquet row as the writer built it before (deciding each
value's column type as it went) and now (converters built once from the generated columns).

Run: python bench/record_speed.py [--rounds 20000]
msgspec and pydantic rows need those packages (`pip install msgspec pydantic`); without them the
rows say so. Times are the best of 5 runs of `--rounds` records, in microseconds per record.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import timeit
import types
import typing
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa

from crawler.record import ArticleRecord
from crawler.storage.parquet import ARTICLE_SCHEMA, article_row, parse_timestamp
from tests.storage.factories import article

FIELDS = list(ArticleRecord.__annotations__)
HINTS = typing.get_type_hints(ArticleRecord)


def sample() -> dict[str, Any]:
    """A record as the crawl stores it, every field set."""
    record = article(1, duplicate_of="0" * 32)
    record.update(
        final_url=record["url"] + "?amp", revision=1, page_type="article", access="full",
        access_evidence=None, dates={"published": {"source": "jsonld", "confidence": 0.9}, "updated": None,
        "disagreements": [], "refused": []}, discovered_via="feed",
        announced={"title": "Story 1", "published_at": None, "keywords": [], "language": "en"},
        rights=None, warc={"file": "warc/run=x/batch-00001.warc.gz", "offset": 0, "length": 311},
    )  # fmt: skip
    record["schema_version"] = "1.2"
    return {name: record[name] for name in FIELDS}


def _builder(template: str) -> Callable[[dict[str, Any]], Any]:
    """A function that builds from the values with every field written out, as `_record` does."""
    arguments = ", ".join(template.format(name=name) for name in FIELDS)
    return eval(f"lambda v, make: make({arguments})")


def candidates() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]] | str]:
    keyword = _builder('{name}=v["{name}"]')
    literal = eval("lambda v: {" + ", ".join(f'"{n}": v["{n}"]' for n in FIELDS) + "}")
    plain = dataclasses.make_dataclass("Plain", [(n, Any) for n in FIELDS], slots=True, kw_only=True)
    names = tuple(FIELDS)
    paths: dict[str, Callable[[dict[str, Any]], dict[str, Any]] | str] = {
        "dict literal, typed as ArticleRecord (chosen)": literal,
        "ArticleRecord(...) called (a TypedDict)": lambda v: keyword(v, ArticleRecord),
        "dataclass + dataclasses.asdict": lambda v: dataclasses.asdict(keyword(v, plain)),
        "dataclass + shallow dict": lambda v: (lambda o: {n: getattr(o, n) for n in names})(
            keyword(v, plain)
        ),
    }
    try:
        import msgspec

        struct = msgspec.defstruct("Struct", [(n, HINTS[n]) for n in FIELDS], kw_only=True)
        paths["msgspec Struct + to_builtins"] = lambda v: msgspec.to_builtins(keyword(v, struct))
        paths["msgspec convert (validating)"] = lambda v: msgspec.to_builtins(msgspec.convert(v, struct))
    except ImportError:
        paths["msgspec"] = "not installed"
    try:
        import pydantic

        # pydantic takes only typing_extensions' TypedDict on Python 3.11: objects are checked as dicts.
        fields = {n: (_without_typed_dicts(HINTS[n]), ...) for n in FIELDS}
        model = pydantic.create_model("Model", **fields)  # type: ignore[call-overload]
        paths["pydantic model + model_dump"] = lambda v: keyword(v, model).model_dump()
    except ImportError:
        paths["pydantic"] = "not installed"
    return paths


def _without_typed_dicts(hint: Any) -> Any:
    if typing.is_typeddict(hint):
        return dict[str, Any]
    arguments = typing.get_args(hint)
    if not arguments or typing.get_origin(hint) is typing.Literal:
        return hint
    loose = tuple(_without_typed_dicts(argument) for argument in arguments)
    origin = typing.get_origin(hint)
    return typing.Union[loose] if origin in (typing.Union, types.UnionType) else origin[loose]  # noqa: UP007


def _coerce_before(value: Any, kind: pa.DataType) -> Any:
    """crawler/storage/parquet.py's converter before the columns were generated: the shape of the
    column decided again for every value."""
    if value is None:
        return None
    if pa.types.is_timestamp(kind):
        return parse_timestamp(value)
    if pa.types.is_string(kind):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    if pa.types.is_boolean(kind):
        return value if isinstance(value, bool) else None
    if pa.types.is_integer(kind):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if pa.types.is_floating(kind):
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    if pa.types.is_list(kind):
        return [
            _coerce_before(item, kind.value_type) for item in (value if isinstance(value, list) else [value])
        ]
    if pa.types.is_struct(kind):
        if not isinstance(value, dict):
            return None
        return {field.name: _coerce_before(value.get(field.name), field.type) for field in kind}
    return value


def row_before(record: dict[str, Any]) -> dict[str, Any]:
    return {field.name: _coerce_before(record.get(field.name), field.type) for field in ARTICLE_SCHEMA}


def per_record(function: Callable[[], Any], rounds: int) -> float:
    return min(timeit.repeat(function, number=rounds, repeat=5)) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20_000)
    rounds = parser.parse_args().rounds
    values = sample()
    rows: list[tuple[str, float | None]] = []
    for name, build in candidates().items():
        if isinstance(build, str):
            rows.append((f"{name} ({build})", None))
            continue
        assert build(values) == values, name  # every path hands on the same dict
        rows.append((name, per_record(lambda b=build: b(values), rounds)))
    now = article_row(values)
    assert row_before(values) == now | {"extra": None}, "the two Parquet rows differ"
    assert isinstance(now["published_at"], datetime)
    shared = [
        ("JSON line (json.dumps, sort_keys)", lambda: json.dumps(values, ensure_ascii=False, sort_keys=True)),
        ("Parquet row before (type decided per value)", lambda: row_before(values)),
        ("Parquet row now (converters from the columns)", lambda: article_row(values)),
    ]
    baseline = rows[0][1] or 1.0
    width = 46
    print(f"{'build the record the crawl hands on':<{width}} {'µs/record':>10} {'× dict':>8}")
    for name, micros in rows:
        print(
            f"{name:<{width}} {'-':>10} {'-':>8}"
            if micros is None
            else f"{name:<{width}} {micros:>10.2f} {micros / baseline:>8.1f}"
        )
    print(f"\n{'the stored forms every path then makes':<{width}} {'µs/record':>10} {'× dict':>8}")
    for name, function in shared:
        micros = per_record(function, max(rounds // 10, 100))
        print(f"{name:<{width}} {micros:>10.2f} {micros / baseline:>8.1f}")


if __name__ == "__main__":
    main()
