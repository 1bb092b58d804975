"""Rebuild docs.jsonl (the shape of eval/syndication/docs.jsonl) from labels.jsonl and locally fetched texts.

The texts are third-party articles and stay out of the repository. Fetch each URL's text yourself (see
README.md: the search tool's `pages` corpus, by URL) into a JSONL file of {"url": ..., "text": ...}, then:

    python eval/syndication-real/join_texts.py texts.jsonl > /work/cache/syndication-real/docs.jsonl

Records without a text are reported on stderr and left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels.jsonl"
FIELDS = (
    "id",
    "label",
    "text",
    "published_at",
    "url",
    "source",
    "agency",
    "wire",
    "kind",
    "date_source",
    "date_precision",
)


def main(texts_path: str) -> int:
    texts = {}
    with open(texts_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                texts[record["url"]] = record["text"]
    missing = 0
    with open(LABELS, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = texts.get(record["url"])
            if not text:
                missing += 1
                print(f"no text for {record['id']} ({record['url']})", file=sys.stderr)
                continue
            record["text"] = text
            print(json.dumps({key: record.get(key) for key in FIELDS}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
