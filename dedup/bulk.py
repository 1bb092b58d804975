"""Signatures for many texts in one numpy pass: the same values as `compute_signature`, without paying
numpy's per-call overhead once per document (what a worker process does with a batch of articles).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xxhash

from dedup.config import DedupConfig
from dedup.normalize import normalized_bytes
from dedup.shingles import NGRAM_WEIGHTS, mix64, token_stream
from dedup.signature import EMPTY, LOW32, ROTATION_STEP, SHINGLE_BITS, Signature, compute_signature

_SHIFT32 = np.uint64(32)


def compute_signatures(texts: Sequence[str], config: DedupConfig) -> list[Signature]:
    """`[compute_signature(t, config) for t in texts]`, computed together."""
    joined = [normalized_bytes(text) for text in texts]
    counts = np.array([part.count(b" ") + 1 if part else 0 for part in joined], dtype=np.intp)
    size = config.shingle_size
    # Texts shorter than one shingle (and empty ones) take the single-text path.
    regular = [i for i, count in enumerate(counts) if count >= size]
    result: list[Signature | None] = [None] * len(texts)
    for i in set(range(len(texts))) - set(regular):
        result[i] = compute_signature(texts[i], config)
    if not regular:
        return [signature for signature in result if signature is not None]
    words, figures_mask = token_stream(b" ".join(joined[i] for i in regular))
    doc_counts = counts[regular]
    starts = np.concatenate([[0], np.cumsum(doc_counts)[:-1]])
    span = len(words) - size + 1
    combined = np.zeros(span, dtype=np.uint64)
    for offset in range(size):
        combined += words[offset : offset + span] * NGRAM_WEIGHTS[offset]
    hashes = mix64(combined)
    per_doc = doc_counts - size + 1
    # Keep shingles that start and end inside one document.
    keep = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, per_doc, strict=True)])
    hashes = hashes[keep]
    owner = np.repeat(np.arange(len(regular)), per_doc)
    values = _bulk_minhash(hashes, owner, len(regular), config.num_perm)
    shingle_sets = _split_sets(hashes >> np.uint64(64 - SHINGLE_BITS), owner, len(regular))
    token_owner = np.repeat(np.arange(len(regular)), doc_counts)
    figure_sets = _split_sets(words[figures_mask] >> _SHIFT32, token_owner[figures_mask], len(regular))
    for row, i in enumerate(regular):
        result[i] = Signature(
            tag=config.tag,
            hashvalues=values[row],
            shingles=shingle_sets[row],
            exact=xxhash.xxh3_128_hexdigest(joined[i]),
            numbers=figure_sets[row],
        )
    return [signature for signature in result if signature is not None]


def _bulk_minhash(hashes: np.ndarray, owner: np.ndarray, docs: int, num_perm: int) -> np.ndarray:
    bins = (((hashes >> _SHIFT32) * np.uint64(num_perm)) >> _SHIFT32).astype(np.intp)
    flat = np.full(docs * num_perm, EMPTY, dtype=np.uint64)
    np.minimum.at(flat, owner * num_perm + bins, hashes & LOW32)
    values = flat.reshape(docs, num_perm)
    empty = values == EMPTY
    if not empty.any():
        return values
    # Rotation densification for all rows at once: each empty bin takes the next filled bin to its
    # right (circularly), found as a running minimum over the row written out twice.
    positions = np.arange(2 * num_perm)
    filled_at = np.where(np.concatenate([~empty, ~empty], axis=1), positions, 4 * num_perm)
    nearest = np.minimum.accumulate(filled_at[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
    distance = (nearest - positions[:num_perm]).astype(np.uint64)
    borrowed = np.take_along_axis(values, nearest % num_perm, axis=1)
    return np.where(empty, (borrowed + distance * ROTATION_STEP) & LOW32, values)


def _split_sets(fingerprints: np.ndarray, owner: np.ndarray, docs: int) -> list[np.ndarray]:
    """Sorted unique uint32 fingerprints per document, from one sort of (owner, fingerprint) keys."""
    # np.unique hashes before sorting (numpy >= 2.3); a sort and a neighbour test is several times faster.
    keys = np.sort((owner.astype(np.uint64) << _SHIFT32) | (fingerprints & LOW32))
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    bounds = np.searchsorted(keys >> _SHIFT32, np.arange(docs + 1, dtype=np.uint64))
    low = (keys & LOW32).astype(np.uint32)
    return [low[bounds[i] : bounds[i + 1]] for i in range(docs)]
