"""The entry codec gives back exactly the entry it was given, in under half the bytes of its arrays."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dedup import DedupConfig, compute_signature
from dedup.entries import make_entry
from dedup.entry_codec import CARRIED, EntryCodecError, decode, encode, pack_sorted, read_id, unpack_sorted
from dedup.model import Document, Entry
from dedup.names import unpack
from tests.dedup.stories import story, text


def entry_of(body: str, **changes: object) -> Entry:
    signature = compute_signature(body, DedupConfig())
    assert signature.shingles is not None and signature.numbers is not None
    entry = Entry("doc-1", signature.shingles.tobytes(), signature.numbers.tobytes(), signature.exact,
                  1.7e9, "ap", 1.7e9 + 5.25, "markets rally 3")  # fmt: skip
    return dataclasses.replace(entry, **changes)


def test_the_codec_carries_every_field_of_entry() -> None:
    assert {field.name for field in dataclasses.fields(Entry)} == set(CARRIED), (
        "Entry gained or lost a field: carry it in dedup/entry_codec.py (encode, decode, CARRIED)"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"published": None, "agency": None, "title": ""},
        {"exact": None, "shingles": b"", "numbers": b""},
        {"exact": "not-a-hex-digest", "id": "https://example.com/ü?x=1"},
        {"shingles": np.array([0, 1, 2, 2**32 - 1], dtype=np.uint32).tobytes()},
        {"numbers": np.array([7], dtype=np.uint32).tobytes(), "time": -1.5},
    ],
)
def test_decode_gives_back_the_entry_encoded(changes: dict[str, object]) -> None:
    entry = entry_of(text(story(11, paragraphs=6)), **changes)
    assert decode(encode(entry)) == entry


@pytest.mark.parametrize("doc_id", ["doc-1", "https://example.com/ü?x=1", "x" * 300, ""])
def test_the_id_is_read_without_decoding_the_entry(doc_id: str) -> None:
    assert read_id(encode(entry_of(text(story(12)), id=doc_id))) == doc_id


def test_an_article_costs_under_half_its_raw_fingerprints() -> None:
    entry = entry_of(text(story(12, paragraphs=12)))
    assert len(encode(entry)) < 0.5 * (len(entry.shingles) + len(entry.numbers))


@pytest.mark.parametrize("seed", range(5))
def test_sorted_sets_of_any_density_round_trip(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for top in (1, 100, 2**17, 2**32):
        values = np.unique(rng.integers(0, top, rng.integers(1, 3000), dtype=np.uint64)).astype(np.uint32)
        raw = b"head" + pack_sorted(values) + b"tail"
        back, end = unpack_sorted(raw, 4)
        assert np.array_equal(back, values) and raw[end:] == b"tail"


def test_bytes_of_another_version_are_refused() -> None:
    with pytest.raises(EntryCodecError, match="codec version"):
        decode(b"\x09" + encode(entry_of("a few words of text here and there"))[1:])


def test_figures_and_name_slots_round_trip_exactly_and_compactly() -> None:
    # The verifier's vetoes read figures and name slots from `numbers` (dedup.names.pack): the codec
    # must give back the same bytes, not a sorted (scrambled) copy of them.
    text = (
        "ABU DHABI, 3rd May, 2021 (WAM) -- The UAE condemned the attack in Kabul that killed 16,167 "
        "people, said Sheikh Abdullah bin Zayed, calling on Afghanistan to act. Exports rose 11.1 percent."
    )
    entry = make_entry(
        Document(id="wam-1", text=text), compute_signature(text, DedupConfig()), DedupConfig(), 0.0
    )
    figures, slots = unpack(entry.numbers)
    assert len(figures) and len(slots)
    raw = encode(entry)
    assert decode(raw) == entry
    assert len(raw) < len(encode(dataclasses.replace(entry, numbers=b""))) + len(entry.numbers)
