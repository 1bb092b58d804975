"""Syndication dedup: MinHash LSH candidates, verified on shingle sets, clustered. Imports no Scrapy."""

from dedup.config import DedupConfig
from dedup.deduplicator import Deduplicator
from dedup.model import Cluster, Document, Member, Verdict
from dedup.signature import Signature, SignatureError, compute_signature

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
