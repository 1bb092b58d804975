"""Bulk shingle hashing with numpy: one 64-bit hash per token n-gram, no per-shingle Python loop.

Tokens are hashed by a polynomial over their UTF-8 bytes computed from prefix sums (all uint64,
wrapping), then mixed with the splitmix64 finaliser; n-grams combine their tokens' hashes.
"""

from __future__ import annotations

import numpy as np

_P = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_P_INV = pow(_P, -1, 1 << 64)
# Position weights for combining the tokens of an n-gram (odd 64-bit constants).
NGRAM_WEIGHTS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD]
    + [(0x9E3779B97F4A7C15 * (i + 7)) % (1 << 64) | 1 for i in range(27)],
    dtype=np.uint64,
)
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _ensure_powers(length: int) -> None:
    """Grow the cached tables of P**i and P**-i (mod 2**64) to at least `length` entries."""
    global _powers, _inverse_powers
    if len(_powers) >= length:
        return
    size = max(length, 2 * len(_powers), 4096)
    _powers = _power_table(_P, size)
    _inverse_powers = _power_table(_P_INV, size)


def _power_table(base: int, size: int) -> np.ndarray:
    """base**i mod 2**64 for i < size; built in uint64 throughout (a Python int list would go float)."""
    table = np.full(size, base, dtype=np.uint64)
    table[0] = 1
    return np.cumprod(table, dtype=np.uint64)


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, element-wise: spreads every input bit over all 64 output bits."""
    z = values ^ (values >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z = z * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def token_hashes(joined: bytes) -> np.ndarray:
    """64-bit hashes of the space-separated tokens of `joined` (no empty tokens, single spaces)."""
    return token_stream(joined)[0]


def number_hashes(joined: bytes) -> np.ndarray:
    """Hashes of the tokens of two or more characters that contain a digit: the figures a story reports."""
    hashes, digits = token_stream(joined)
    return hashes[digits]


def tokens_and_numbers(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes and the hashes of the digit-bearing tokens, in one pass."""
    hashes, digits = token_stream(joined)
    return hashes, hashes[digits]


def token_stream(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes and the mask of figure tokens (digit-bearing, two or more characters)."""
    if not joined:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    data = np.frombuffer(joined, dtype=np.uint8)
    size = len(data)
    _ensure_powers(size + 1)
    spaces = np.flatnonzero(data == 0x20)
    starts = np.empty(len(spaces) + 1, dtype=np.intp)
    starts[0], starts[1:] = 0, spaces + 1
    ends = np.empty(len(spaces) + 1, dtype=np.intp)
    ends[:-1], ends[-1] = spaces, size
    # In-place arithmetic: this function is most of a signature's cost.
    weighted = data.astype(np.uint64)
    weighted += np.uint64(1)
    weighted *= _powers[:size]
    prefix = np.empty(size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(weighted, out=prefix[1:])
    raw = (prefix[ends] - prefix[starts]) * _inverse_powers[starts]
    lengths = ends - starts
    # Single digits ("2 percent", "7.1234") recur in every bulletin; figures of two or more characters
    # are what distinguish one day's report from the next.
    digits = np.logical_or.reduceat((data - np.uint8(0x30)) < 10, starts)
    return mix64(raw ^ lengths.astype(np.uint64)), digits & (lengths >= 2)


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """Hashes of every run of `size` consecutive tokens; a text shorter than that is one shingle."""
    count = len(hashes)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, count)
    span = count - width + 1
    combined = np.zeros(span, dtype=np.uint64)
    for offset in range(width):
        combined += hashes[offset : offset + span] * NGRAM_WEIGHTS[offset]
    return mix64(combined)
