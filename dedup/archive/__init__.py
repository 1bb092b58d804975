"""Re-clustering a stored archive out of core: shared SQL (DuckDB here, Spark alike) for band keys and
candidate pairs, the index's verifier and partition for the rest. See docs/archive-dedup.md."""

from dedup.archive.recluster import STORED_SCHEMA, ArchiveDedup, ArchiveStats

__all__ = ["STORED_SCHEMA", "ArchiveDedup", "ArchiveStats"]
