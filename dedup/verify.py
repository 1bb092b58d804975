"""The verifier: decides on actual shingle sets whether a candidate is a copy, and of which kind.

Jaccard accepts edited copies, containment (shared / smaller set) accepts truncated ones. Pairs
published more than `window` apart are never compared; beyond `max_copy_gap`, when the figures
disagree or one rounds what the other gives exactly (another agency on the same release), when a
shared phrase names different places or people, or when the titles differ only in their numbers
(recurring templates, numbered series), only near-verbatim copies count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from dedup.config import DedupConfig
from dedup.figures import rounded
from dedup.model import Entry
from dedup.names import substituted, unpack

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Overlap:
    shared: int
    jaccard: float
    containment: float


@dataclass(frozen=True)
class Match:
    """A verified link to another document: kind is "exact", "near" or "contained"."""

    other: str
    kind: str
    similarity: float


def overlap(left: np.ndarray, right: np.ndarray) -> Overlap:
    """Shared count, Jaccard and containment of two sorted unique fingerprint arrays."""
    if len(left) == 0 or len(right) == 0:
        return Overlap(0, 0.0, 0.0)
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return Overlap(shared, shared / (len(left) + len(right) - shared), shared / min(len(left), len(right)))


def judge(entry: Entry, other: Entry, config: DedupConfig, leniency: float = 1.0) -> Match | None:
    """The match between two indexed documents, or None when they are different stories.

    Symmetric: judge(a, b) and judge(b, a) agree on whether the pair matches, with the same similarity.
    A `leniency` below 1 scales the similarity thresholds down and skips the figure test: evidence
    that corroborates a link to another member of the cluster, whose figures that link already
    checked (an origin that is a flash or a rewritten lead carries fewer of them).
    """
    if _gap(entry, other) > config.window.total_seconds():
        return None
    if entry.exact is not None and entry.exact == other.exact:
        return Match(other.id, "exact", 1.0)
    left, right = _fingerprints(entry.shingles), _fingerprints(other.shingles)
    found = overlap(left, right)
    if found.jaccard >= config.distant_jaccard_threshold:
        return Match(other.id, "near", found.jaccard)
    if _gap(entry, other) > config.max_copy_gap.total_seconds() or _series_differ(entry, other):
        return None
    if leniency == 1.0 and _figures_disagree(entry, other, config):
        return None
    if leniency == 1.0 and rounded(unpack(entry.numbers)[0], unpack(other.numbers)[0]):
        return None
    if _names_substituted(entry, other, config):
        return None
    smaller = min(len(left), len(right))
    # A floor on shared shingles, capped by the smaller document so a one-line flash can still match.
    if found.shared < max(min(config.min_shared_shingles, smaller), 1):
        return None
    # Short pages share boilerplate and stock phrases that make up a large part of them: the shorter
    # the smaller document, the larger the part of it that must be shared.
    scale = max(1.0, (config.short_text_shingles / max(smaller, 1)) ** 0.5)
    containment_needed = config.containment_threshold * leniency
    jaccard_needed = config.jaccard_threshold * scale * leniency
    # "contained" names a truncation: the smaller document is at most half the larger one.
    truncated = 2 * smaller <= max(len(left), len(right))
    if found.containment >= containment_needed and (truncated or found.jaccard < jaccard_needed):
        return Match(other.id, "contained", found.containment)
    if found.jaccard >= jaccard_needed:
        return Match(other.id, "near", found.jaccard)
    return None


def describe(entry: Entry, other: Entry) -> Match:
    """How two documents relate, whatever the thresholds (a copy placed through other members)."""
    left, right = _fingerprints(entry.shingles), _fingerprints(other.shingles)
    found = overlap(left, right)
    if entry.exact is not None and entry.exact == other.exact:
        return Match(other.id, "exact", 1.0)
    if 2 * min(len(left), len(right)) <= max(len(left), len(right)):
        return Match(other.id, "contained", found.containment)
    return Match(other.id, "near", found.jaccard)


def normalized_title(title: str | None) -> str:
    """Casefolded words of a title, single spaces, punctuation out ("16,167" is "16 167")."""
    return " ".join(_WORD.findall(title.casefold())) if title else ""


def _series_differ(entry: Entry, other: Entry) -> bool:
    """Same title up to its numbers, other numbers: two items of a series or two days of a template
    ("Highlights 1" and "Highlights 5"; exports for 1-10 and for 1-20 November). Outlets retitle
    copies in their own words, so copies rarely share a title up to its numbers alone."""
    if not entry.title or entry.title == other.title or not _DIGITS.search(entry.title):
        return False
    return _DIGITS.sub("#", entry.title) == _DIGITS.sub("#", other.title)


def _fingerprints(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.uint32)


def _gap(entry: Entry, other: Entry) -> float:
    """Seconds between the two publication times; 0 when either is unknown."""
    if entry.published is None or other.published is None:
        return 0.0
    return abs(entry.published - other.published)


def _figures_disagree(entry: Entry, other: Entry, config: DedupConfig) -> bool:
    """Both report several figures but share few of them: a recurring template on another day."""
    left, right = unpack(entry.numbers)[0], unpack(other.numbers)[0]
    smaller = min(len(left), len(right))
    if smaller < config.min_figures:
        return False
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / smaller < config.figure_agreement


def _names_substituted(entry: Entry, other: Entry, config: DedupConfig) -> bool:
    """A phrase both share names, in each, only places or people the other never mentions: the same
    template about another event ("UAE condemns the attack in <city>"). Copies keep the names of the
    phrases they share, whatever clutter and captions add around them."""
    if config.name_substitutions <= 0:
        return False
    found = substituted(unpack(entry.numbers)[1], unpack(other.numbers)[1])
    return found.phrases >= config.name_substitutions or found.figures >= config.figure_substitutions
