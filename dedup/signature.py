"""Signatures: a datasketch-compatible MinHash of a text's shingles, plus the shingle set for verifying.

MinHash values come from one-permutation hashing with rotation densification (Shrivastava 2017):
one hash per shingle instead of one per shingle and permutation, same collision probability (Jaccard).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import xxhash

from dedup.config import DedupConfig
from dedup.normalize import normalized_bytes
from dedup.shingles import shingle_hashes, tokens_and_numbers

if TYPE_CHECKING:
    from datasketch import LeanMinHash

BYTEORDER = "little"
MAX_HASH = (1 << 32) - 1
EMPTY = np.uint64(1 << 32)
LOW32 = np.uint64(MAX_HASH)
ROTATION_STEP = np.uint64(0x5BD1E995)  # offset per bin borrowed from, so rotated values stay distinct
SEED = 1
# The verifier compares shingle fingerprints of this many bits (the top bits of each shingle's hash),
# which the index keeps at about 9 bits each (`dedup.entry_codec`; 32-bit ones cost 24). Unrelated
# texts share fingerprints by chance: two of 600 shingles about 5 (600 × 600 / 2^16), Jaccard 0.005,
# two of 3,000 shingles Jaccard 0.02, far below the verifier's thresholds (0.13 and up); the ARI on the
# generated set is the same at 16, 17, 18, 20 and 32 bits.
SHINGLE_BITS = 16


class SignatureError(ValueError):
    """A stored signature cannot be used with this configuration."""


@dataclass(frozen=True, eq=False)
class Signature:
    """MinHash values under a parameter tag; `shingles` and `exact` exist only when computed from text."""

    tag: str
    hashvalues: np.ndarray
    shingles: np.ndarray | None = field(default=None, repr=False)
    exact: str | None = None
    numbers: np.ndarray | None = field(default=None, repr=False)

    def to_record(self) -> dict[str, str]:
        """JSON-ready form stored on every article: tag, explicit byte order, base64 hash values."""
        raw = self.hashvalues.astype("<u8").tobytes()
        return {"tag": self.tag, "byteorder": BYTEORDER, "hashvalues": base64.b64encode(raw).decode("ascii")}

    @classmethod
    def from_record(cls, record: Mapping[str, Any], config: DedupConfig | None = None) -> Signature:
        """Parse a stored record; with `config`, refuse a record made with other parameters."""
        try:
            tag, order, encoded = record["tag"], record["byteorder"], record["hashvalues"]
        except (KeyError, TypeError) as error:
            raise SignatureError(
                f"signature record {record!r} lacks {error}; expected keys tag, byteorder, hashvalues"
            ) from None
        if order not in ("little", "big"):
            raise SignatureError(f"signature byteorder {order!r} is neither 'little' nor 'big'")
        if config is not None and tag != config.tag:
            raise SignatureError(
                f"signature tag {tag!r} does not match this index ({config.tag!r}); recompute the "
                "signature from the text with compute_signature(text, config)"
            )
        try:
            values = np.frombuffer(base64.b64decode(encoded), dtype="<u8" if order == "little" else ">u8")
        except (ValueError, TypeError) as error:  # binascii.Error is a ValueError
            raise SignatureError(
                f"signature hashvalues are not base64 of 8-byte values ({error}); recompute the "
                "signature from the text with compute_signature(text, config)"
            ) from None
        expected = _num_perm_of(tag)
        if expected is not None and len(values) != expected:
            raise SignatureError(f"signature has {len(values)} hash values but tag {tag!r} says {expected}")
        return cls(tag=tag, hashvalues=values.astype(np.uint64))

    def lean_minhash(self) -> LeanMinHash:
        """The datasketch LeanMinHash for `MinHashLSH` (legacy scheme: 32-bit values in uint64)."""
        # Imported here: importing datasketch imports scipy (0.5 s), which signature-only users
        # (extraction workers) never need.
        from datasketch import LeanMinHash

        return LeanMinHash(seed=SEED, hashvalues=self.hashvalues, scheme="legacy")

    def estimated_jaccard(self, other: Signature) -> float:
        if self.tag != other.tag:
            raise SignatureError(f"cannot compare signatures tagged {self.tag!r} and {other.tag!r}")
        return float(np.mean(self.hashvalues == other.hashvalues))


def _num_perm_of(tag: str) -> int | None:
    head = tag.split("-", 1)[0]
    return int(head[2:]) if head.startswith("mh") and head[2:].isdigit() else None


def one_permutation_minhash(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """MinHash values from one hash per shingle: bin by the high bits, minimum of the low 32 per bin."""
    if len(hashes) == 0:
        return np.full(num_perm, MAX_HASH, dtype=np.uint64)
    bins = (((hashes >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)).astype(np.intp)
    values = np.full(num_perm, EMPTY, dtype=np.uint64)
    np.minimum.at(values, bins, hashes & LOW32)
    filled = np.flatnonzero(values != EMPTY)
    if len(filled) < num_perm:
        # An empty bin borrows from the next filled bin to its right (circularly), shifted by the distance.
        positions = np.arange(num_perm)
        nearest = filled[np.searchsorted(filled, positions) % len(filled)]
        distance = ((nearest - positions) % num_perm).astype(np.uint64)
        values = (values[nearest] + distance * ROTATION_STEP) & LOW32
    return values


def shingle_set(hashes: np.ndarray, bits: int = 32) -> np.ndarray:
    """Sorted unique fingerprints: the top `bits` of each 64-bit hash."""
    fingerprints = np.sort((hashes >> np.uint64(64 - bits)).astype(np.uint32))
    if len(fingerprints) == 0:
        return fingerprints
    return fingerprints[np.concatenate(([True], fingerprints[1:] != fingerprints[:-1]))]


def compute_signature(text: str, config: DedupConfig) -> Signature:
    """Normalise, shingle and sketch `text`; picklable in and out, so it can run in worker processes."""
    joined = normalized_bytes(text)
    words, numbers = tokens_and_numbers(joined)
    hashes = shingle_hashes(words, config.shingle_size)
    return Signature(
        tag=config.tag,
        hashvalues=one_permutation_minhash(hashes, config.num_perm),
        shingles=shingle_set(hashes, SHINGLE_BITS),
        exact=xxhash.xxh3_128_hexdigest(joined) if joined else None,
        numbers=shingle_set(numbers),
    )
