"""The benchmark's shingle metric, as the shared README defines it, on hand-computed cases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction_quality.py"
_spec = importlib.util.spec_from_file_location("extraction_quality", BENCH)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules["extraction_quality"] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)


def test_identical_texts_score_one() -> None:
    assert bench.precision_recall("a b c d e", "a  b, c d e") == (1.0, 1.0)


def test_both_empty_score_one_and_empty_prediction_scores_zero() -> None:
    assert bench.precision_recall("", "") == (1.0, 1.0)
    assert bench.precision_recall("a b c d", "") == (0.0, 0.0)


def test_extra_and_missing_shingles_are_counted_as_multisets() -> None:
    # truth: (a b c d), (b c d e); prediction: (a b c d) twice, (b c d a), (c d a b), (d a b c)
    precision, recall = bench.precision_recall("a b c d e", "a b c d a b c d")
    assert precision == pytest.approx(1 / 5) and recall == pytest.approx(1 / 2)


def test_score_macro_averages_then_takes_f1() -> None:
    truth = {"x": "a b c d e", "y": "f g h i"}
    f1, precision, recall = bench.score(truth, {"x": "a b c d e", "y": ""})
    assert (precision, recall) == (0.5, 0.5) and f1 == pytest.approx(0.5)


def test_snippet_score_counts_found_and_missing_snippets_over_all_pages() -> None:
    pages = [
        bench.Page("a", "u", b"", with_=["the  budget", "schools"], without=["Impressum"]),
        bench.Page("b", "v", b"", with_=["hospitals"], without=["Menu"]),
    ]
    # a: one `with` found (whitespace collapsed), one missing, the `without` found; b: dropped (empty)
    f1, precision, recall = bench.snippet_score(pages, {"a": "the budget\nImpressum"})
    assert (precision, recall) == (0.5, pytest.approx(1 / 3)) and f1 == pytest.approx(0.4)
