"""The CPU-bound work on one fetched page: extraction, then the MinHash signature of its text.

Runs in worker processes, so it takes and returns only picklable values.
"""

from __future__ import annotations

import hashlib
from typing import Any

from crawler.extract import ExtractOptions, extract_article
from dedup import DedupConfig, Signature, compute_signature


def article_id(canonical_url: str) -> str:
    """A stable id for an article: the same canonical URL always gives the same id."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


def process_page(
    body: bytes,
    url: str,
    content_type: str | None,
    http_status: int,
    options: ExtractOptions,
    dedup_config: DedupConfig,
) -> tuple[dict[str, Any], Signature]:
    """Extract the article and sign its text; raises `ExtractionDrop` for pages to drop.

    The full signature (with the shingle set the verifier needs) goes back too, so the crawl
    process does not shingle the text a second time."""
    record = extract_article(body, url, content_type=content_type, http_status=http_status, options=options)
    signature = compute_signature(record["text"], dedup_config)
    record["minhash"] = signature.to_record()
    return record, signature
