"""Syndication dedup: MinHash LSH candidates, verified on shingle sets, clustered. Imports no Scrapy."""

from typing import TYPE_CHECKING, Any

from dedup.config import DedupConfig
from dedup.model import Cluster, Document, Member, Verdict
from dedup.signature import Signature, SignatureError, compute_signature

if TYPE_CHECKING:
    from dedup.deduplicator import Deduplicator


def __getattr__(name: str) -> Any:
    # The index imports datasketch's LSH, which imports scipy (0.5 s). Extraction workers only
    # compute signatures, so they import it only when asked for the index.
    if name == "Deduplicator":
        from dedup.deduplicator import Deduplicator

        return Deduplicator
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")


__all__ = [
    "Cluster",
    "DedupConfig",
    "Deduplicator",
    "Document",
    "Member",
    "Signature",
    "SignatureError",
    "Verdict",
    "compute_signature",
]
