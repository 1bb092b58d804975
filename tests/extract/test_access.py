"""Page status: every golden access page classified right, with the signal named; the vendors' sensor
scripts and CMPs on ordinary article pages raise nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.extract import ExtractionDrop, ExtractOptions, extract_article
from crawler.extract.errors import AccessDrop, BlockedByChallenge, ConsentWall, SoftNotFound
from crawler.extract.golden import Case, load_cases

GOLDEN = Path(__file__).parent / "golden"
ACCESS_CASES = [case for case in load_cases(GOLDEN) if "access" in case.spec]
FETCH = ExtractOptions(drop_non_articles=False)
CRAWL = ExtractOptions()
# The vendor each challenge or consent page's evidence must name.
EVIDENCE = {
    "access-challenge-cloudflare": "Cloudflare",
    "access-challenge-datadome": "DataDome",
    "access-challenge-incapsula": "Incapsula",
    "access-challenge-perimeterx": "PerimeterX",
    "access-challenge-akamai": "Akamai",
    "access-consent-redirect": "consent.example-portal.com",
    "access-consent-before-you-continue": "Before you continue",
    "access-consent-cmp-wall": "Sourcepoint",
    "access-soft-404-wordpress": "error404",
    "access-soft-404-german": "Fehler 404",
    "access-soft-404-spanish-text": "la página que buscas no existe",
    "access-paywall-jsonld-teaser": "isAccessibleForFree=false",
    "access-paywall-prompt": "available to subscribers",
    "access-truncated-wordcount": "wordCount 1400",
    "access-truncated-excerpt": "[…]",
}
PARAGRAPH = (
    "The regional water board voted on Tuesday to raise household rates by eight percent from next spring, "
    "the first increase in six years, after a review found that a third of the pipes were over fifty years old."
)


def fetch(case: Case) -> dict:
    return extract_article(case.html, case.spec["url"], content_type="text/html", options=FETCH)


def test_golden_pages_cover_every_access_value() -> None:
    values = {case.spec["access"] for case in ACCESS_CASES}
    assert values == {"full", "paywall", "challenge", "consent", "soft_404", "truncated"}


@pytest.mark.parametrize("case", ACCESS_CASES, ids=lambda c: c.name)
def test_fetch_says_what_each_golden_page_is_and_names_the_signal(case: Case) -> None:
    record = fetch(case)
    assert record["access"] == case.spec["access"], record["access_evidence"]
    if case.name in EVIDENCE:
        assert EVIDENCE[case.name].lower() in (record["access_evidence"] or "").lower()


@pytest.mark.parametrize("case", ACCESS_CASES, ids=lambda c: c.name)
def test_the_crawl_never_keeps_a_wall_or_a_missing_page_as_an_article(case: Case) -> None:
    options = replace(CRAWL, timezone=case.options.timezone)
    if case.spec["access"] in ("challenge", "consent", "soft_404"):
        with pytest.raises(AccessDrop) as raised:
            extract_article(case.html, case.spec["url"], content_type="text/html", options=options)
        expected = {"challenge": BlockedByChallenge, "consent": ConsentWall, "soft_404": SoftNotFound}
        assert type(raised.value) is expected[case.spec["access"]]
        assert raised.value.evidence
    else:
        record = extract_article(case.html, case.spec["url"], content_type="text/html", options=options)
        assert record["access"] == case.spec["access"]


def _page(
    head: str = "", body: str = "", title: str = "Water board raises rates", ld: dict | None = None
) -> bytes:
    declared = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (
        f"<html><head><title>{title}</title>{declared}{head}</head><body><article><h1>{title}</h1>"
        f"{body or ''.join(f'<p>{PARAGRAPH}</p>' for _ in range(3))}</article></body></html>"
    ).encode()


SENSORS = {
    "cloudflare bot-management script": '<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script>',
    "incapsula resource": '<script src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3"></script>',
    "datadome tag": '<script src="https://js.datadome.co/tags.js"></script>',
    "perimeterx sensor": "<script>window._pxAppId = 'PXa1b2c3d4';</script>",
    "onetrust cmp": '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"></script>',
    "tcf api stub": "<script>window.__tcfapi = window.__tcfapi || function(){};</script>",
}


@pytest.mark.parametrize("head", SENSORS.values(), ids=list(SENSORS))
def test_an_article_carrying_a_vendor_sensor_or_a_cmp_is_full(head: str) -> None:
    record = extract_article(_page(head), "https://news.example.com/a/water", options=CRAWL)
    assert record["access"] == "full"


def test_a_short_brief_with_a_cmp_and_cookie_words_is_an_article_not_a_consent_wall() -> None:
    body = f"<p>{PARAGRAPH} Residents can accept the offer of a free leak check until May.</p>"
    ld = {"@type": "NewsArticle", "headline": "Water board raises rates"}
    record = extract_article(
        _page(SENSORS["onetrust cmp"], body, ld=ld), "https://n.example.com/b", options=CRAWL
    )
    assert record["access"] == "full"


def test_an_article_about_a_missing_page_is_not_a_soft_404() -> None:
    ld = {"@type": "NewsArticle", "headline": "Page not found: why dead links haunt the web"}
    page = _page(title="Page not found: why dead links haunt the web", ld=ld)
    record = extract_article(page, "https://n.example.com/c", options=CRAWL)
    assert record["access"] == "full"


def test_a_404_status_is_a_missing_page_whatever_the_body() -> None:
    with pytest.raises(SoftNotFound, match="HTTP 404"):
        extract_article(_page(), "https://n.example.com/d", http_status=404, options=CRAWL)


def test_a_declared_paywall_over_a_whole_served_story_is_full_with_the_declaration_named() -> None:
    ld = {"@type": "NewsArticle", "headline": "Water board raises rates", "isAccessibleForFree": False}
    body = "".join(f"<p>{PARAGRAPH} Paragraph {i}.</p>" for i in range(10))
    record = extract_article(_page(body=body, ld=ld), "https://n.example.com/e", options=CRAWL)
    assert record["access"] == "full"
    assert "isAccessibleForFree=false, but" in record["access_evidence"]


def test_a_full_page_has_no_evidence() -> None:
    record = extract_article(_page(), "https://n.example.com/f", options=CRAWL)
    assert (record["access"], record["access_evidence"]) == ("full", None)


def test_access_drops_are_extraction_drops_with_stable_reasons() -> None:
    assert issubclass(AccessDrop, ExtractionDrop)
    reasons = [BlockedByChallenge.reason, ConsentWall.reason, SoftNotFound.reason]
    assert reasons == ["challenge", "consent", "soft_404"]


def test_a_refusal_status_with_challenge_markup_is_a_challenge_even_on_a_long_page() -> None:
    head = "<script>window._cf_chl_opt = {cType: 'managed'};</script>"
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(8))
    with pytest.raises(BlockedByChallenge, match=r"cf_chl_opt\), HTTP 403"):
        extract_article(_page(head, body), "https://n.example.com/g", http_status=403, options=CRAWL)
    record = extract_article(_page(head, body), "https://n.example.com/g", options=CRAWL)
    assert record["access"] == "full", "a 200 story page is thin-checked first"


def test_fetch_names_a_wall_without_text_rather_than_calling_it_empty() -> None:
    page = b"<html><head><title>Just a moment...</title></head><body><div id='challenge-form'></div></body></html>"
    with pytest.raises(BlockedByChallenge):
        extract_article(page, "https://n.example.com/h", options=FETCH)
