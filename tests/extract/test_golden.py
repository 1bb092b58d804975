"""Golden pages: one generated test per case and field, plus the text snippets and the record schema."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import ExtractionDrop
from crawler.extract.golden import UNCOMPARED, Case, load_cases, run_case
from tests.support.schema import validate

GOLDEN = Path(__file__).parent / "golden"
CASES = load_cases(GOLDEN)
ARTICLES = [case for case in CASES if "expected" in case.spec]
DROPS = [case for case in CASES if "drop" in case.spec]
FIELD_PARAMS = [
    pytest.param(case, field, id=f"{case.name}-{field}")
    for case in ARTICLES
    for field in case.spec["expected"]
]
_outcomes: dict[str, Any] = {}


def outcome(case: Case) -> Any:
    # One extraction per case however many field tests ask for it; extraction is deterministic.
    if case.name not in _outcomes:
        _outcomes[case.name] = run_case(case)
    return _outcomes[case.name]


def record(case: Case) -> dict[str, Any]:
    result = outcome(case)
    if isinstance(result, ExtractionDrop):
        pytest.fail(f"{case.name}: dropped as {result.reason} ({result}), expected an article")
    return result


def test_golden_suite_has_at_least_twenty_cases_of_each_kind() -> None:
    assert len(CASES) >= 20
    assert len(ARTICLES) >= 15 and len(DROPS) >= 4
    assert not [c.name for c in ARTICLES if not c.spec.get("text_with")], "every article case needs text_with"


@pytest.mark.parametrize(("case", "field"), FIELD_PARAMS)
def test_golden_field(case: Case, field: str) -> None:
    assert record(case)[field] == case.spec["expected"][field]


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.name)
def test_golden_text_snippets(case: Case) -> None:
    text = record(case)["text"]
    missing = [s for s in case.spec["text_with"] if s not in text]
    present = [s for s in case.spec.get("text_without", []) if s in text]
    assert not missing, f"text lacks {missing}"
    assert not present, f"text still has {present}"


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.name)
def test_golden_record_matches_schema_once_the_pipeline_adds_its_fields(case: Case) -> None:
    result = record(case)
    assert set(case.spec["expected"]) | UNCOMPARED == set(result)
    stored = dict(
        result,
        id=hashlib.sha256(result["canonical_url"].encode()).hexdigest()[:32],
        source="golden-test",
        fetched_at="2026-01-01T00:00:00+00:00",
    )
    assert validate(stored) == []


@pytest.mark.parametrize("case", DROPS, ids=lambda c: c.name)
def test_golden_drop_reason(case: Case) -> None:
    result = outcome(case)
    assert isinstance(result, ExtractionDrop), f"expected a {case.spec['drop']} drop, got a record"
    assert result.reason == case.spec["drop"]


def test_bricspost_page_gives_the_clean_article() -> None:
    # The acceptance case, spelled out so that a regenerated expectation cannot quietly relax it.
    case = next(c for c in CASES if c.name == "thebricspost-kerry-lavrov")
    result = record(case)
    assert result["title"] == "Kerry-Lavrov move forward on Syria talks"
    assert result["published_at"].startswith("2016-08-27")
    assert result["credit"] == "The BRICS Post with inputs from Agencies"
    assert "Xinhua" in result["agencies"]
    assert result["image"]["caption"].startswith(
        "US Secretary of State John Kerry and Russian Foreign Minister"
    )
    assert result["image"]["credit"] == "Xinhua"
    assert "Follow us on" not in result["text"]
    assert "routinely met in recent years" not in result["text"]
    paragraphs = result["text"].split("\n\n")
    assert paragraphs[0].startswith("US Secretary of State John Kerry took a more cautionary position")
    assert paragraphs[-1].startswith("Kerry met with Russian President Vladimir Putin")
    assert len(paragraphs) == 11  # the eleven body paragraphs of the naive text, nothing else


@pytest.mark.parametrize(
    "name",
    [
        "wordpress-caption-classic-repeated-div",
        "wordpress-caption-block-editor",
        "wordpress-caption-shortcode-html5",
    ],
)
def test_each_wordpress_caption_markup_gives_the_caption_once_as_the_image_caption(name: str) -> None:
    # The seed article in each common WordPress caption markup; spelled out like the BRICS Post case.
    result = record(next(c for c in CASES if c.name == name))
    assert result["image"]["caption"] == (
        "US Secretary of State John Kerry and Russian Foreign Minister Sergey Lavrov have routinely met "
        "in recent years to iron out a mutual approach to ending the Syrian conflict"
    )
    assert result["image"]["credit"] == "Xinhua"
    assert result["agencies"] == ["Xinhua"]
    assert result["credit"] == "The BRICS Post with inputs from Agencies"
    assert "routinely met" not in result["text"] and "Xinhua" not in result["text"]
    assert result["text"].startswith("US Secretary of State John Kerry took a more cautionary position")
    assert len(result["text"].split("\n\n")) == 11
