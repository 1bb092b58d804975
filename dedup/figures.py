"""The figures a story reports, read from its text with their decimals and thousands kept whole.

The signature's figure set comes from the normalised text, where punctuation is gone: "11.1 percent"
and "20.1 percent" are both "1" plus a two-digit fragment, and two days of a template share most
fragments ("11", "31", "20"). Read whole, 11.1 and 20.1 differ, as do 28.2 and 31.3 billion.
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

from dedup.normalize import _digit_table

# A number with its decimal point and thousands separators: "16,167", "10,77,618", "595.051".
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPING = re.compile(r",(?=\d)")


def figure_set(text: str) -> np.ndarray:
    """Sorted unique 32-bit fingerprints of the figures of two or more digits in `text`, thousands
    separators dropped (16,167 and 16167 are one figure; Indian 10,77,618 and 1,077,618 too)."""
    found = set()
    for match in _NUMBER.finditer(text.translate(_digit_table())):
        figure = _GROUPING.sub("", match.group(0))
        if sum(c.isdigit() for c in figure) >= 2:
            found.add(xxhash.xxh32_intdigest(figure.encode("ascii")))
    return np.array(sorted(found), dtype=np.uint32)
