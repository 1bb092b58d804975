"""The benchmark's shingle metric, as the shared README defines it, on hand-computed cases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bench import scores
from bench.rouge_lsum import mean_rouge_lsum, rouge_lsum

BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction_quality.py"
_spec = importlib.util.spec_from_file_location("extraction_quality", BENCH)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules["extraction_quality"] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)


def test_identical_texts_score_one() -> None:
    assert scores.precision_recall("a b c d e", "a  b, c d e") == (1.0, 1.0)


def test_both_empty_score_one_and_empty_prediction_scores_zero() -> None:
    assert scores.precision_recall("", "") == (1.0, 1.0)
    assert scores.precision_recall("a b c d", "") == (0.0, 0.0)


def test_extra_and_missing_shingles_are_counted_as_multisets() -> None:
    # truth: (a b c d), (b c d e); prediction: (a b c d) twice, (b c d a), (c d a b), (d a b c)
    precision, recall = scores.precision_recall("a b c d e", "a b c d a b c d")
    assert precision == pytest.approx(1 / 5) and recall == pytest.approx(1 / 2)


def test_score_macro_averages_then_takes_f1() -> None:
    truth = {"x": "a b c d e", "y": "f g h i"}
    f1, precision, recall = scores.score(truth, {"x": "a b c d e", "y": ""})
    assert (precision, recall) == (0.5, 0.5) and f1 == pytest.approx(0.5)


def test_snippet_score_counts_found_and_missing_snippets_over_all_pages() -> None:
    pages = [
        bench.Page("a", "u", b"", with_=["the  budget", "schools"], without=["Impressum"]),
        bench.Page("b", "v", b"", with_=["hospitals"], without=["Menu"]),
    ]
    # a: one `with` found (whitespace collapsed), one missing, the `without` found; b: dropped (empty)
    f1, precision, recall = scores.snippet_score(pages, {"a": "the budget\nImpressum"})
    assert (precision, recall) == (0.5, pytest.approx(1 / 3)) and f1 == pytest.approx(0.4)


def test_rouge_lsum_of_identical_texts_is_one_and_of_disjoint_texts_zero() -> None:
    assert rouge_lsum("The budget passed.\nSchools gain.", "the budget passed\nschools gain") == 1.0
    assert rouge_lsum("a b c", "d e f") == 0.0
    assert rouge_lsum("a b c", "") == 0.0


def test_rouge_lsum_takes_the_union_of_each_lines_subsequences() -> None:
    # reference line "a b c d" meets "a b" (LCS a b) and "x c d" (LCS c d): all four tokens hit;
    # the candidate has 5 tokens, so precision 4/5, recall 4/4, F1 8/9.
    assert rouge_lsum("a b c d", "a b\nx c d") == pytest.approx(8 / 9)


def test_rouge_lsum_counts_a_repeated_token_no_more_often_than_either_side_has_it() -> None:
    # both candidate lines match the reference's one "a"; it counts once: P 1/2, R 1/1, F1 2/3.
    assert rouge_lsum("a", "a\na") == pytest.approx(2 / 3)
    assert mean_rouge_lsum({"x": "a b", "y": "c"}, {"x": "a b"}) == pytest.approx(50.0)
