import base64
import pickle

import numpy as np
import pytest
from datasketch import MinHashLSH

from dedup import DedupConfig, Signature, SignatureError, compute_signature
from dedup.shingles import token_hashes
from dedup.verify import overlap
from tests.dedup.stories import story, text

CONFIG = DedupConfig()


def test_token_hash_does_not_depend_on_position() -> None:
    first = token_hashes(b"rose by 936 rupees")
    shifted = token_hashes(b"gold rose by 936 rupees")
    assert list(first) == list(shifted[1:])


def test_different_tokens_hash_differently() -> None:
    hashes = token_hashes(b"936 909 rupees rupee 1 2")
    assert len(set(hashes.tolist())) == 6


def test_record_round_trip_keeps_hash_values_and_tag() -> None:
    signature = compute_signature(text(story(1)), CONFIG)
    record = signature.to_record()
    assert record["tag"] == "mh128-w5-v1" and record["byteorder"] == "little"
    again = Signature.from_record(record, CONFIG)
    assert np.array_equal(again.hashvalues, signature.hashvalues)


def test_big_endian_records_are_read_by_their_byte_order() -> None:
    signature = compute_signature(text(story(2)), CONFIG)
    encoded = base64.b64encode(signature.hashvalues.astype(">u8").tobytes()).decode()
    record = {"tag": signature.tag, "byteorder": "big", "hashvalues": encoded}
    assert np.array_equal(Signature.from_record(record).hashvalues, signature.hashvalues)


def test_from_record_rejects_another_tag() -> None:
    record = compute_signature(text(story(3)), CONFIG).to_record() | {"tag": "mh64-w3-v1"}
    with pytest.raises(SignatureError, match="compute_signature"):
        Signature.from_record(record, CONFIG)


def test_from_record_rejects_unknown_byte_order() -> None:
    record = compute_signature(text(story(3)), CONFIG).to_record() | {"byteorder": "middle"}
    with pytest.raises(SignatureError, match="byteorder"):
        Signature.from_record(record)


def test_estimated_jaccard_tracks_the_true_jaccard() -> None:
    base = story(4, paragraphs=10)
    edited = base[:6] + story(5, paragraphs=4)
    left, right = compute_signature(text(base), CONFIG), compute_signature(text(edited), CONFIG)
    true = overlap(left.shingles, right.shingles).jaccard
    assert 0.3 < true < 0.7
    assert abs(left.estimated_jaccard(right) - true) < 0.15


def test_signature_is_picklable_for_worker_processes() -> None:
    signature = compute_signature(text(story(6)), CONFIG)
    again = pickle.loads(pickle.dumps(signature))
    assert np.array_equal(again.hashvalues, signature.hashvalues)
    assert np.array_equal(again.shingles, signature.shingles)


def test_signatures_feed_datasketch_lsh() -> None:
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("a", compute_signature(text(story(7)), CONFIG).lean_minhash())
    assert lsh.query(compute_signature(text(story(7)) + " Extra words here.", CONFIG).lean_minhash()) == ["a"]


def test_empty_and_short_texts_still_get_signatures() -> None:
    assert len(compute_signature("", CONFIG).hashvalues) == 128
    short = compute_signature("Quake hits", CONFIG)
    assert len(short.shingles) == 1 and len(set(short.hashvalues.tolist())) > 1


@pytest.mark.parametrize("hashvalues", ["not base64!", "AAAA", None])
def test_damaged_hash_values_are_a_signature_error(hashvalues: object) -> None:
    record = {"tag": CONFIG.tag, "byteorder": "little", "hashvalues": hashvalues}
    with pytest.raises(SignatureError, match="recompute"):
        Signature.from_record(record, CONFIG)
