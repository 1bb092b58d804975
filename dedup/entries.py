"""What the index keeps of a document: its signature completed from the text, and its Entry."""

from __future__ import annotations

from dedup.config import DedupConfig
from dedup.figures import figure_set
from dedup.model import Document, Entry
from dedup.names import name_slots, pack
from dedup.signature import Signature, SignatureError, compute_signature
from dedup.verify import normalized_title


def complete_signature(document: Document, signature: Signature | None, config: DedupConfig) -> Signature:
    """The signature with the shingle and figure sets the verifier needs, computed when missing."""
    if signature is None:
        return compute_signature(document.text, config)
    if signature.tag != config.tag:
        raise SignatureError(
            f"signature tag {signature.tag!r} does not match this index ({config.tag!r}); "
            "recompute it with compute_signature(text, config)"
        )
    if signature.shingles is None or signature.numbers is None:
        # Stored records carry only MinHash values; the verifier needs the shingle set from the text.
        fresh = compute_signature(document.text, config)
        return Signature(signature.tag, signature.hashvalues, fresh.shingles, fresh.exact, fresh.numbers)
    return signature


def make_entry(document: Document, signature: Signature, config: DedupConfig, now: float) -> Entry:
    """The index entry; `now` is the arrival time. Figures and name slots are read from the text itself
    (decimal points and capitals, which the signature's normalised text no longer has) and travel
    together in `numbers`."""
    published = document.published_at
    if published is not None and published.tzinfo is None:
        raise ValueError(
            f"document {document.id!r} has a naive published_at; give it a timezone (UTC) "
            "so times from different outlets compare"
        )
    stamp = published.timestamp() if published is not None else None
    if stamp is not None and stamp > now + config.max_future.total_seconds():
        stamp = None  # misdated into the future (see DedupConfig.max_future)
    assert signature.shingles is not None and signature.numbers is not None
    return Entry(
        document.id, signature.shingles.tobytes(), figures_and_names(document.text), signature.exact,
        stamp, document.agency, now, normalized_title(document.title),
    )  # fmt: skip


def figures_and_names(text: str) -> bytes:
    """An entry's `numbers`: the figures and name slots read from the text itself (decimal points and
    capitals, which the signature's normalised text no longer has), packed together."""
    return pack(figure_set(text), name_slots(text))
