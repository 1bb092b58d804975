"""The development sets' metrics: word-4-gram shingle F1 (the AEB, shared/README.md) and snippet F1
(trafilatura's set, its README)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Protocol

_TOKEN = re.compile(r"\w+")


class SnippetPage(Protocol):
    key: str
    with_: list[str]
    without: list[str]


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def precision_recall(truth: str, prediction: str) -> tuple[float, float]:
    """Per-document shingle precision and recall, as the shared README defines them."""
    expected, predicted = shingles(truth), shingles(prediction)
    tp = sum((expected & predicted).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    if not expected and not predicted:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(truth: dict[str, str], predictions: dict[str, str]) -> tuple[float, float, float]:
    """(F1, precision, recall): macro-averaged precision and recall, then F1 of the averages."""
    pairs = [precision_recall(truth[key], predictions.get(key) or "") for key in truth]
    precision = sum(p for p, _ in pairs) / len(pairs)
    recall = sum(r for _, r in pairs) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def snippet_score(pages: list[SnippetPage], predictions: dict[str, str]) -> tuple[float, float, float]:
    """(F1, precision, recall) over all snippets: a `with` found is a tp, a `without` found an fp."""
    tp = fn = fp = 0
    for page in pages:
        text = _collapse(predictions.get(page.key) or "")
        found = [_collapse(s) in text for s in page.with_]
        tp, fn = tp + sum(found), fn + len(found) - sum(found)
        fp += sum(_collapse(s) in text for s in page.without)
    precision, recall = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def _collapse(text: str) -> str:
    return " ".join(text.split())
