import numpy as np

from dedup import DedupConfig, compute_signature
from dedup.bulk import compute_signatures
from tests.dedup.stories import story, text


def test_bulk_signatures_equal_single_ones() -> None:
    config = DedupConfig()
    texts = [text(story(n, paragraphs=1 + n % 7)) for n in range(20)]
    texts += [
        "",
        "Quake hits",
        "Exports rose 12.5% to 4.31 billion in 2025.",
        "新华社北京电 国务院总理今天会见外交部长",
        "a b c d e",
    ]
    for single, bulk in zip(
        [compute_signature(t, config) for t in texts], compute_signatures(texts, config), strict=True
    ):
        assert np.array_equal(single.hashvalues, bulk.hashvalues)
        assert np.array_equal(single.shingles, bulk.shingles)
        assert np.array_equal(single.numbers, bulk.numbers)
        assert single.exact == bulk.exact
