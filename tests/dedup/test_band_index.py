"""The in-process band tables find exactly the live documents that share a band value, however
their runs were merged, and forget the documents below the floor."""

from __future__ import annotations

import numpy as np

from dedup.band_index import BUFFERED_DOCUMENTS, BandIndex

BANDS = np.arange(65, dtype=np.uint32)


def test_the_band_index_finds_what_a_brute_force_scan_finds() -> None:
    rng = np.random.default_rng(5)
    index, held = BandIndex(), []
    for row in range(BUFFERED_DOCUMENTS * 9 + 5):
        # Small values, so that documents often share a band.
        values = rng.integers(0, 40, len(BANDS)).astype(np.uint32) << np.uint32(7)
        expected = {other for other, seen in enumerate(held) if (seen == values).any()}
        assert index.add(row, BANDS, values) == expected
        held.append(values)


def test_rows_below_the_floor_are_never_found_and_leave_the_runs() -> None:
    index = BandIndex()
    values = np.full(len(BANDS), 1 << 20, dtype=np.uint32)
    for row in range(BUFFERED_DOCUMENTS * 4):
        index.add(row, BANDS, values)
    index.floor = BUFFERED_DOCUMENTS * 3
    found = index.add(BUFFERED_DOCUMENTS * 4, BANDS, values)
    assert found == set(range(BUFFERED_DOCUMENTS * 3, BUFFERED_DOCUMENTS * 4))
    index.purge()
    assert index.entries() == len(BANDS) * (BUFFERED_DOCUMENTS + 1)
