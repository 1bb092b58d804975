"""The files generated from the record type, and which of them are stale.

`python -m crawler.record --write` rewrites them; `--check` exits 1 naming each stale one.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.record.columns import columns_module
from crawler.record.jsonschema import article_schema
from crawler.record.readme import with_table

ROOT = Path(__file__).resolve().parents[2]
JSON_SCHEMA = Path("crawler/schemas/article.schema.json")
COLUMNS = Path("crawler/storage/columns.py")
README = Path("README.md")


def generated(root: Path = ROOT) -> dict[Path, str]:
    """Each generated file (relative to `root`) and the text it should hold."""
    return {
        JSON_SCHEMA: json.dumps(article_schema(), indent=2, ensure_ascii=False) + "\n",
        COLUMNS: columns_module(),
        README: with_table((root / README).read_text(encoding="utf-8")),
    }


def stale(root: Path = ROOT) -> list[Path]:
    return [
        path
        for path, text in generated(root).items()
        if not (root / path).exists() or (root / path).read_text(encoding="utf-8") != text
    ]


def write(root: Path = ROOT) -> list[Path]:
    """Rewrite the stale files; returns them."""
    changed = stale(root)
    texts = generated(root)
    for path in changed:
        (root / path).write_text(texts[path], encoding="utf-8")
    return changed
