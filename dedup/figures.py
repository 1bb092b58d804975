"""The figures a story reports, read from its text with their decimals and thousands kept whole.

The signature's figure set comes from the normalised text, where punctuation is gone: "11.1 percent"
and "20.1 percent" are both "1" plus a two-digit fragment, and two days of a template share most
fragments ("11", "31", "20"). Read whole, 11.1 and 20.1 differ, as do 28.2 and 31.3 billion.

A figure is coded in 32 bits as its digits and its number of decimals (value × 10^decimals in the low
28 bits, decimals in the high 4), so equal figures have equal codes and a code gives its value back;
figures too long for that, and those written with a leading zero (times, dates: "04"), are coded by a
hash with the decimals field 15, which no value code uses.
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

from dedup.normalize import _digit_table

# A number with its decimal point and thousands separators: "16,167", "10,77,618", "595.051".
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPING = re.compile(r",(?=\d)")
_DIGITS_BITS = 28
_HASHED = 15


def figure_set(text: str) -> np.ndarray:
    """Sorted unique codes of the figures of two or more digits in `text`, thousands separators
    dropped (16,167 and 16167 are one figure; Indian 10,77,618 and 1,077,618 too)."""
    found = set()
    for match in _NUMBER.finditer(text.translate(_digit_table())):
        figure = _GROUPING.sub("", match.group(0))
        if sum(c.isdigit() for c in figure) >= 2:
            found.add(_code(figure))
    return np.array(sorted(found), dtype=np.uint32)


def rounded(left: np.ndarray, right: np.ndarray) -> bool:
    """One document gives, to fewer decimals, a figure the other gives exactly (2.5 against 2.539
    billion): another agency's report of the same release. Copies repeat the figures they keep."""
    only_left = np.setdiff1d(left, right, assume_unique=True)
    only_right = np.setdiff1d(right, left, assume_unique=True)
    return _rounds(only_left, only_right) or _rounds(only_right, only_left)


def _rounds(coarse: np.ndarray, fine: np.ndarray) -> bool:
    coarse_decimals, coarse_values = _decode(coarse)
    fine_decimals, fine_values = _decode(fine)
    for decimals in np.unique(coarse_decimals[coarse_decimals != _HASHED]).tolist():
        finer = (fine_decimals > decimals) & (fine_decimals != _HASHED)
        if not finer.any():
            continue
        scaled = np.round(fine_values[finer] * 10.0**decimals)
        targets = coarse_values[coarse_decimals == decimals] * 10.0**decimals
        if np.isin(np.round(targets), scaled).any():
            return True
    return False


def _code(figure: str) -> int:
    whole, _, fraction = figure.partition(".")
    digits = int(whole + fraction) if (whole + fraction).isdigit() else -1
    leading_zero = figure[0] == "0" and not figure.startswith("0.")
    if leading_zero or not 0 <= digits < 1 << _DIGITS_BITS or len(fraction) >= _HASHED:
        return (_HASHED << _DIGITS_BITS) | (xxhash.xxh32_intdigest(figure.encode("ascii")) >> 4)
    return (len(fraction) << _DIGITS_BITS) | digits


def _decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    decimals = (codes >> _DIGITS_BITS).astype(np.int64)
    digits = (codes & ((1 << _DIGITS_BITS) - 1)).astype(np.float64)
    return decimals, digits / 10.0 ** np.where(decimals == _HASHED, 0, decimals)
