"""Article, cluster and raw-response records shaped like the pipeline's, for storage tests."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

from crawler.storage import RawResponse, RunWriter


def article(
    n: int,
    source: str = "thebricspost",
    day: str = "2016-08-27",
    duplicate_of: str | None = None,
    run_tag: str = "",
) -> dict[str, Any]:
    url = f"https://{source}.example/{day}/story-{n}"
    text = f"Story {n} from {source}.{run_tag}\n\nSecond paragraph of story {n}."
    return {
        "id": hashlib.sha256(url.encode()).hexdigest()[:32],
        "schema_version": "1.0",
        "url": url,
        "canonical_url": url,
        "source": source,
        "title": f"Story {n}",
        "description": None,
        "authors": ["A. Writer"],
        "published_at": f"{day}T10:{n % 60:02d}:00Z",
        "updated_at": None,
        "language": "en",
        "categories": ["World"],
        "tags": [],
        "image": {"url": f"{url}.jpg", "caption": "A caption", "credit": "[Xinhua]"},
        "text": text,
        "word_count": len(text.split()),
        "credit": None,
        "agencies": ["Xinhua"],
        "dateline": None,
        "extractor": {"name": "trafilatura", "version": "2.0.0"},
        "fetched_at": "2026-11-29T12:00:00Z",
        "http_status": 200,
        "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "minhash": {"tag": "mh128-w5-v1", "byteorder": "little", "hashvalues": "AAAA"},
        "cluster_id": None,
        "duplicate_of": duplicate_of,
        "similarity": 0.8 if duplicate_of else None,
        "match": "near" if duplicate_of else None,
    }


def page_for(record: dict[str, Any]) -> bytes:
    return f"<html><body><p>{record['text']}</p></body></html>".encode()


def raw_for(record: dict[str, Any]) -> RawResponse:
    """The response as received: gzip-encoded, with the headers that say so."""
    body = gzip.compress(page_for(record), mtime=0)
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Content-Length", str(len(body))),
    ]
    return RawResponse(record["url"], 200, headers, body, record["fetched_at"])


def cluster(cluster_id: str, members: list[str], updated_at: str) -> dict[str, Any]:
    return {
        "id": cluster_id,
        "origin": members[0],
        "members": members,
        "agencies": ["Xinhua"],
        "updated_at": updated_at,
    }


def overwrite(store: Any, key: str, data: bytes) -> None:
    """Replace a stored object behind the store's write-once API, as a careless tool or a failing disk could."""
    if store.describe().startswith("file://"):
        with open(store.url(key), "wb") as handle:
            handle.write(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.prefix + key, Body=data)


def flip_bit(store: Any, key: str) -> None:
    """Flip one bit in the middle of a stored object: same size, different bytes."""
    data = bytearray(store.get_bytes(key))
    data[len(data) // 2] ^= 0x10
    overwrite(store, key, bytes(data))


def write_run(
    store: Any, records: list[dict[str, Any]], clusters: Any = (), batch_size: int = 3, raws: bool = True
) -> dict[str, Any]:
    """Commit one run of `records` (with their raw responses unless `raws` is false) and `clusters`."""
    writer = RunWriter(store, batch_size=batch_size)
    for record in records:
        writer.add_article(record, raw_for(record) if raws else None)
    for item in clusters:
        writer.add_cluster(item)
    return writer.commit({"pages_fetched": len(records)})
