"""Band values: what both index states file a document under, one 32-bit value per LSH band, plus one
for its exact hash (so an exact twin is found the way band candidates are)."""

from __future__ import annotations

import numpy as np
import xxhash

from dedup.config import DedupConfig
from dedup.signature import Signature


def band_values(hashvalues: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 32-bit value per band: the MinHash value itself for one-row bands, else xxh32 of the rows."""
    values = hashvalues.astype(np.uint64)
    if rows == 1:
        return (values[:bands] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    raw = values[: bands * rows].astype("<u8").reshape(bands, rows)
    return np.array([xxhash.xxh32_intdigest(row.tobytes()) for row in raw], dtype=np.uint32)


def index_bands(signature: Signature, config: DedupConfig) -> tuple[np.ndarray, np.ndarray]:
    """The (band numbers, values) a document is filed under: its LSH bands 0..lsh_bands-1 (none for a
    text without shingles, which would share every band with every other such text), and band
    `lsh_bands` for its exact hash."""
    searchable = signature.shingles is not None and len(signature.shingles) > 0
    numbers = np.arange(config.lsh_bands if searchable else 0, dtype=np.uint32)
    values = band_values(signature.hashvalues, config.lsh_bands, config.lsh_rows)[: len(numbers)]
    if signature.exact is None:
        return numbers, values
    exact = np.uint32(int(signature.exact[:8], 16))
    return np.append(numbers, np.uint32(config.lsh_bands)), np.append(values, exact)
