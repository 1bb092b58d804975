"""ROUGE-LSum, the summary-level ROUGE-L the Fundus paper scores article bodies with, for the bench.

As `rouge_score` computes `rougeLsum`: each reference line is matched against every candidate line by
longest common subsequence, the union of the matched tokens counts once (clipped by how often each token
occurs on either side). Lines are the texts' paragraphs; tokens are lower-cased `\\w+` matches, so texts in
any script count (rouge_score's default tokenizer keeps only ASCII letters and digits).
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+")


def rouge_lsum(reference: str, candidate: str) -> float:
    """ROUGE-LSum F1 of `candidate` against `reference` (0 when either has no tokens)."""
    ref_lines, can_lines = _lines(reference), _lines(candidate)
    ref_total, can_total = sum(map(len, ref_lines)), sum(map(len, can_lines))
    if not ref_total or not can_total:
        return 1.0 if ref_total == can_total else 0.0
    ref_left = Counter(t for line in ref_lines for t in line)
    can_left = Counter(t for line in can_lines for t in line)
    hits = 0
    for line in ref_lines:
        for token in _union_lcs(line, can_lines):
            if ref_left[token] and can_left[token]:
                hits += 1
                ref_left[token] -= 1
                can_left[token] -= 1
    precision, recall = hits / can_total, hits / ref_total
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def mean_rouge_lsum(references: dict[str, str], candidates: dict[str, str]) -> float:
    """Mean per-document ROUGE-LSum F1 over the references, in percent (as the Fundus paper reports)."""
    scores = [rouge_lsum(text, candidates.get(key) or "") for key, text in references.items()]
    return 100 * sum(scores) / len(scores) if scores else 0.0


def _lines(text: str) -> list[list[str]]:
    lines = (_TOKEN.findall(line.lower()) for line in (text or "").splitlines())
    return [line for line in lines if line]


def _union_lcs(reference: list[str], candidates: list[list[str]]) -> list[str]:
    """The tokens of `reference` on a longest common subsequence with any candidate line, in order."""
    vocabulary = set(reference)
    hit: set[int] = set()
    for candidate in candidates:
        shared = vocabulary.intersection(candidate)
        if shared:
            hit |= _lcs_positions(reference, candidate, shared)
    return [reference[i] for i in sorted(hit)]


def _lcs_positions(reference: list[str], candidate: list[str], shared: set[str]) -> set[int]:
    """Positions in `reference` of one longest common subsequence with `candidate`. Tokens the other
    side lacks can never be on it, so the table is built over the shared tokens only."""
    ref = [(i, t) for i, t in enumerate(reference) if t in shared]
    can = [t for t in candidate if t in shared]
    rows, cols = len(ref), len(can)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows):
        token, row, below = ref[i][1], table[i], table[i + 1]
        for j in range(cols):
            below[j + 1] = row[j] + 1 if token == can[j] else max(row[j + 1], below[j])
    positions: set[int] = set()
    i, j = rows, cols
    while i and j:
        if ref[i - 1][1] == can[j - 1]:
            positions.add(ref[i - 1][0])
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return positions
