"""The verifier: decides on actual shingle sets whether a candidate is a copy, and of which kind.

Jaccard accepts edited copies, containment (shared / smaller set) accepts truncated ones; beyond
`max_copy_gap` between publication times only near-verbatim copies count (recurring wire templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from dedup.config import DedupConfig


@dataclass(frozen=True)
class Overlap:
    shared: int
    jaccard: float
    containment: float


@dataclass(frozen=True)
class Match:
    """A verified link to another document: kind is "exact", "near" or "contained"."""

    other: str
    kind: str
    similarity: float


def overlap(left: np.ndarray, right: np.ndarray) -> Overlap:
    """Shared count, Jaccard and containment of two sorted unique fingerprint arrays."""
    if len(left) == 0 or len(right) == 0:
        return Overlap(0, 0.0, 0.0)
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return Overlap(shared, shared / (len(left) + len(right) - shared), shared / min(len(left), len(right)))


def judge(
    other: str,
    left: np.ndarray,
    right: np.ndarray,
    left_time: datetime | None,
    right_time: datetime | None,
    config: DedupConfig,
) -> Match | None:
    """The match between two documents' shingle sets, or None when they are different stories."""
    found = overlap(left, right)
    if left_time is not None and right_time is not None and abs(left_time - right_time) > config.max_copy_gap:
        if found.jaccard >= config.distant_jaccard_threshold:
            return Match(other, "near", found.jaccard)
        return None
    # A floor on shared shingles, capped by the smaller document so a one-line flash can still match.
    floor = min(config.min_shared_shingles, min(len(left), len(right)))
    if found.shared < max(floor, 1):
        return None
    if found.jaccard >= config.jaccard_threshold:
        return Match(other, "near", found.jaccard)
    if found.containment >= config.containment_threshold:
        return Match(other, "contained", found.containment)
    return None


def best(matches: list[Match]) -> Match | None:
    """The match reported on the verdict: an exact one first, else the most similar."""
    if not matches:
        return None
    return max(matches, key=lambda match: (match.kind == "exact", match.similarity))
