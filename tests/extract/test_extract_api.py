"""The public API the pipeline calls: options, determinism, process safety, purity, record basics."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import trafilatura
import trafilatura.core

from crawler.extract import EXTRACTOR, SCHEMA_VERSION, ExtractionDrop, ExtractOptions, extract_article
from crawler.extract.article import FAST_MODE_ELEMENTS
from crawler.registry import Source
from tests.extract.pages import PARAGRAPHS, article_page

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
URL = "https://news.example.com/2020/02/04/budget-approved"


def test_options_from_a_registry_source_carry_its_overrides() -> None:
    source = Source(
        id="example",
        name="Example",
        homepage="https://news.example.com/",
        language="de",
        timezone="Europe/Berlin",
        drop_selectors=(".promo",),
        body_selector="div.story",
        max_response_bytes=12345,
        compare_extractors=True,
    )
    options = ExtractOptions.from_source(source)
    assert options == ExtractOptions(
        language="de",
        outlet_name="Example",
        timezone="Europe/Berlin",
        drop_selectors=(".promo",),
        body_selector="div.story",
        max_bytes=12345,
        compare_extractors=True,
    )


def test_options_from_a_source_without_a_size_limit_use_the_default_cap() -> None:
    source = Source(id="example", name="Example", homepage="https://news.example.com/")
    assert ExtractOptions.from_source(source).max_bytes == 10 * 1024 * 1024


LONG = [f"{p} {p}" for p in PARAGRAPHS]


@pytest.mark.parametrize(
    ("compare_extractors", "footer_spans", "paragraphs", "compared"),
    [
        (False, 0, LONG, False),
        (False, 0, PARAGRAPHS, True),
        (False, FAST_MODE_ELEMENTS + 1000, PARAGRAPHS, False),
        (True, 0, LONG, True),
        (True, FAST_MODE_ELEMENTS + 1000, LONG, False),
    ],
    ids=[
        "default",
        "default-short-text",
        "short-text-giant-tree",
        "source-asks",
        "source-asks-but-giant-tree",
    ],
)
def test_trafilatura_compares_with_readability_and_justext_only_where_the_source_asks(
    monkeypatch: pytest.MonkeyPatch,
    compare_extractors: bool,
    footer_spans: int,
    paragraphs: list[str],
    compared: bool,
) -> None:
    # By default only a text too short to trust (candidates.SHORT_TEXT_WORDS) pays for the comparison.
    calls = []
    real = trafilatura.core.compare_extraction

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura.core, "compare_extraction", counted)
    footer = "<footer>" + "<span>x</span>" * footer_spans + "</footer>"
    body = article_page(paragraphs, extra_body=footer).encode()
    record = extract_article(body, URL, options=ExtractOptions(compare_extractors=compare_extractors))
    assert bool(calls) is compared
    assert record["text"].startswith(PARAGRAPHS[0])


def test_options_reject_a_compare_extractors_that_is_not_a_bool() -> None:
    with pytest.raises(ValueError, match="compare_extractors must be true or false"):
        ExtractOptions(compare_extractors="yes")  # type: ignore[arg-type]


def test_options_reject_an_unknown_timezone_with_the_fix() -> None:
    with pytest.raises(ValueError, match=r"not an IANA zone name; use e\.g\. 'UTC'"):
        ExtractOptions(timezone="Mars/Olympus")


def test_options_reject_a_bad_css_selector_naming_it() -> None:
    with pytest.raises(ValueError, match=r"CSS selector 'div\[' is invalid"):
        ExtractOptions(drop_selectors=("div[",))


def test_options_reject_a_single_string_of_selectors() -> None:
    with pytest.raises(ValueError, match="tuple of CSS selectors"):
        ExtractOptions(drop_selectors=".promo")  # type: ignore[arg-type]


def test_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        ExtractOptions().timezone = "UTC"  # type: ignore[misc]


def test_record_carries_extractor_status_and_text_hash(page: bytes) -> None:
    record = extract_article(page, URL, http_status=203, options=ExtractOptions())
    assert record["schema_version"] == SCHEMA_VERSION
    assert record["extractor"] == EXTRACTOR and record["extractor"]["version"].endswith(
        f"trafilatura-{trafilatura.__version__}"
    )
    assert record["http_status"] == 203
    assert record["text"] == "\n\n".join(PARAGRAPHS)
    assert record["word_count"] == sum(len(p.split()) for p in PARAGRAPHS)
    assert record["canonical_url"] == URL


def test_same_page_twice_gives_identical_records(page: bytes) -> None:
    # trafilatura's deduplicate cache would blank the second run; it must stay off.
    options = ExtractOptions()
    first = extract_article(page, URL, options=options)
    for case in sorted(GOLDEN.glob("*.html"))[:5]:
        with contextlib.suppress(ExtractionDrop):
            extract_article(case.read_bytes(), URL, options=options)
    assert extract_article(page, URL, options=options) == first


def _extract_in_worker(body: bytes) -> dict:
    return extract_article(body, URL, options=ExtractOptions(timezone="Asia/Kolkata"))


def test_extraction_in_a_process_pool_matches_in_process(page: bytes) -> None:
    bodies = [page, article_page(PARAGRAPHS[::-1]).encode()]
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = list(pool.map(_extract_in_worker, bodies))
    assert pooled == [_extract_in_worker(body) for body in bodies]


def test_extract_package_imports_no_scrapy() -> None:
    code = (
        "import sys, crawler.extract, crawler.extract.golden;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted'));"
        "sys.exit(f'crawler.extract imported {bad}' if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_text_and_title_come_in_composed_unicode() -> None:
    """Pages typed on some systems spell "ü" as "u" plus a combining diaeresis; the record composes it
    so that a search for "Grüße" finds the text."""
    decomposed = "Gru\u0308\u00dfe aus Ko\u0308ln: der Haushalt für das nächste Jahr ist beschlossen worden."
    page = article_page([decomposed] * 3).replace("Parliament approves", "Ko\u0308ln approves")
    record = extract_article(page.encode(), URL, options=ExtractOptions())
    assert "Grüße aus Köln" in record["text"]
    assert record["title"] == "Köln approves budget"
