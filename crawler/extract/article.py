"""`extract_article`: response bytes to the article record, or an `ExtractionDrop` saying why not."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from functools import lru_cache
from itertools import islice
from typing import Any, overload

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract import candidates, chunks, prune, trafilatura_api
from crawler.extract.access import Access, blocked_access
from crawler.extract.agencies import find_agencies, split_caption_credit
from crawler.extract.cleanup import Cleaned, clean_paragraphs
from crawler.extract.decode import parse_body
from crawler.extract.errors import (
    AccessDrop,
    BadInput,
    BlockedByChallenge,
    ConsentWall,
    EmptyText,
    ExtractionDrop,
    NotAnArticle,
    SoftNotFound,
)
from crawler.extract.jsonld import find_article, jsonld_objects, text_of
from crawler.extract.lead import printed_lead, with_lead
from crawler.extract.metadata import collect_meta, extract_metadata_fields, fill_fallbacks
from crawler.extract.options import ExtractOptions, compile_selector
from crawler.extract.pagetype import confirmed, page_type
from crawler.extract.related import PageLinks, drop_link_lines, drop_related_links
from crawler.extract.text_access import declared_paywall, text_access
from crawler.record import SCHEMA_VERSION

# 1.1: bylines without the dates and widgets trafilatura prunes from them; trafilatura without its
# readability/jusText comparison unless the source asks for it (ExtractOptions.compare_extractors).
# 1.2: charsets read as browsers read them; dates without a calendar day dropped, bare days kept as
# that day, "GMT+0530" east of UTC; bracketed, PTI/IANS and newsroom ("Reporting by ...") credits and
# datelines; cleaner author lists.
# 1.3: trafilatura 2.3 through one adapter; its readability/jusText comparison where the main text is
# suspect, chosen by measured rules; page_type; page captions; titles without the outlet's name; more
# furniture out of the text (docs/extraction.md).
# 1.4: a body cut into chunks by ad rows comes out whole; date lines in more languages leave the text,
# bracketed sources stay; titles lose the site names its feed links and JSON-LD WebSite give.
# 1.5: the lead printed apart from the body heads the text; related-story links out of it; NFC text;
# UTF-8 pages with a few broken sequences stay UTF-8; <article> teasers must link somewhere.
EXTRACTOR = {"name": "newscrawl-extract", "version": f"1.5+trafilatura-{trafilatura_api.VERSION}"}
FAST_MODE_ELEMENTS = 30_000
_BLOCKS = ("p", "div", "section", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td")
_LOG = logging.getLogger(__name__)
_ACCESS_DROPS: dict[str, type[AccessDrop]] = {
    "challenge": BlockedByChallenge,
    "consent": ConsentWall,
    "soft_404": SoftNotFound,
}


def extract_article(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    http_status: int = 200,
    options: ExtractOptions,
) -> dict[str, Any]:
    """The extraction-owned fields of the article record; raises only `ExtractionDrop` subclasses."""
    try:
        return _extract(body, url, content_type, http_status, options)
    except ExtractionDrop:
        raise
    except Exception as error:
        # The one place where an unexpected failure in parsing or a library becomes a typed drop:
        # one bad page must never stop a crawl, and the pipeline only has to handle ExtractionDrop.
        _LOG.debug("extraction failed for %s", url, exc_info=True)
        raise BadInput(f"extraction failed: {type(error).__name__}: {error}", url) from None


def _extract(
    body: bytes, url: str, content_type: str | None, http_status: int, options: ExtractOptions
) -> dict[str, Any]:
    tree = parse_body(body, content_type, options.max_bytes)
    objects = jsonld_objects(tree)
    meta = collect_meta(tree)
    article = find_article(objects)
    blocked = blocked_access(tree, url, http_status, article)
    if blocked and options.drop_non_articles:
        raise _access_drop(blocked, url)
    kind = page_type(tree, url, objects, meta)
    if kind.reason and not kind.teaser_words and options.drop_non_articles:
        raise NotAnArticle(f"not an article: {kind.reason}", url)
    fields = extract_metadata_fields(tree, url, options, objects, meta)
    figures = prune.figures(tree, url)
    captions, page_caption, figure_image = figures.captions, figures.image_caption, figures.image_url
    # The page's own <h1> may differ from the declared title ("Opinion | ..."); both repeat as line one.
    first_h1 = tree.find(".//h1")
    headline = prune.normalise_space(first_h1.text_content() or "") if first_h1 is not None else ""
    # Whether the page's declared locked parts were served is read before anything is pruned.
    declared = declared_paywall(tree, article)
    prune.drop_selected(tree, tuple(_selector(s) for s in options.drop_selectors))
    lines = [
        _nfc(line) for line in _body_lines(tree, url, options, text_of((article or {}).get("articleBody")))
    ]
    lead = _nfc(printed_lead(tree, fields["description"], lines))  # trafilatura read a copy of the tree
    fill_fallbacks(tree, url, fields, options)
    fields["title"], fields["description"] = _nfc(fields["title"]), _nfc(fields["description"])
    image = fields["image"]
    if image and image.get("caption"):
        captions.append(prune.normalise_space(image["caption"]))
    cleaned = clean_paragraphs(lines, [fields["title"] or "", headline], captions)
    links = PageLinks(tree)
    cleaned.paragraphs = drop_link_lines(drop_related_links(cleaned.paragraphs, links), links)
    cleaned.paragraphs = with_lead(cleaned.paragraphs, lead, lines, [fields["title"] or "", headline])
    if not cleaned.paragraphs and blocked:
        raise _access_drop(blocked, url)  # `fetch` shows walls; one without text is still named
    if not cleaned.paragraphs:
        raise EmptyText("no article text after extraction and cleanup", url)
    if not cleaned.caption and page_caption and not (image and image.get("caption")):
        # The caption was not printed in the text (or trafilatura left it out): the page's own.
        cleaned.caption, cleaned.caption_credit = split_caption_credit(page_caption)
    kind = confirmed(kind, sum(len(p.split()) for p in cleaned.paragraphs))
    if kind.reason and options.drop_non_articles:
        raise NotAnArticle(f"not an article: {kind.reason}", url)
    record = _record(url, http_status, fields, cleaned, figure_image)
    access = blocked or text_access(article, cleaned.paragraphs, record["word_count"], declared, lines)
    return record | {"page_type": kind.kind, "access": access.status, "access_evidence": access.evidence}


def _access_drop(blocked: Access, url: str) -> AccessDrop:
    return _ACCESS_DROPS[blocked.status](
        f"{blocked.status}: {blocked.evidence}", url, evidence=blocked.evidence
    )


def _body_lines(tree: HtmlElement, url: str, options: ExtractOptions, article_body: str | None) -> list[str]:
    if options.body_selector:
        chosen = prune.select_body(tree, _selector(options.body_selector))
        if chosen:
            return _block_lines(chosen)
    # trafilatura's comparison with readability and jusText on every page where the source asks for
    # it, elsewhere only where the main text is suspect (candidates.py); never on giant trees: it is
    # linear but slow there (a 5 MB page took 20 s), and past the bound, where no real article page
    # is, the main pass alone will do.
    compare = options.compare_extractors and _small(tree)
    text = trafilatura_api.main_text(tree, url, compare_extractors=compare)
    if not compare and candidates.wants_comparison(text) and _small(tree):
        text = candidates.choose(text, trafilatura_api.main_text(tree, url, compare_extractors=True))
    lines = candidates.with_declared_body(text, article_body).splitlines()
    return chunks.rejoin_chunks(tree, lines)


def _small(tree: HtmlElement) -> bool:
    return next(islice(tree.iter(), FAST_MODE_ELEMENTS, None), None) is None


def _block_lines(elements: list[HtmlElement]) -> list[str]:
    """Text of the innermost block elements under an outlet's body selector, one line per block."""
    lines: list[str] = []
    for element in elements:
        leaves = [b for b in element.iter(*_BLOCKS) if next(b.iterdescendants(*_BLOCKS), None) is None]
        lines.extend(prune.normalise_space(block.text_content() or "") for block in leaves or [element])
    return lines


@lru_cache(maxsize=256)
def _selector(css: str) -> XPath:
    return compile_selector(css)


def _record(
    url: str, http_status: int, fields: dict[str, Any], cleaned: Cleaned, figure_image: str | None
) -> dict[str, Any]:
    text = "\n\n".join(cleaned.paragraphs)
    image = _image(fields["image"], cleaned, figure_image)
    agencies = list(cleaned.agencies)
    for source in (image["credit"] if image else None, *fields["authors"]):
        for name in find_agencies(source or ""):
            if name not in agencies:
                agencies.append(name)
    return {
        "schema_version": SCHEMA_VERSION,
        "url": url,
        "canonical_url": fields["canonical_url"],
        "title": fields["title"],
        "description": _clip(fields["description"]),
        "authors": fields["authors"],
        "published_at": fields["published_at"],
        "updated_at": fields["updated_at"],
        "dates": fields["dates"],
        "language": fields["language"],
        "categories": fields["categories"],
        "tags": fields["tags"],
        "image": image,
        "text": text,
        "word_count": len(re.findall(r"\w+", text)),
        "credit": cleaned.credit,
        "agencies": agencies,
        "dateline": cleaned.dateline,
        "extractor": dict(EXTRACTOR),
        "http_status": http_status,
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def _image(
    declared: dict[str, Any] | None, cleaned: Cleaned, figure_image: str | None
) -> dict[str, str | None] | None:
    declared = declared or {}
    url = declared.get("url") or figure_image
    if not url:
        return None
    caption: str | None = declared.get("caption")
    credit: str | None = declared.get("credit")
    if cleaned.caption:
        caption, credit = cleaned.caption, credit or cleaned.caption_credit
    elif caption:
        caption, caption_credit = split_caption_credit(caption)
        credit = credit or caption_credit
    return {"url": url, "caption": caption, "credit": credit}


@overload
def _nfc(text: str) -> str: ...
@overload
def _nfc(text: str | None) -> str | None: ...
def _nfc(text: str | None) -> str | None:
    """Text in Unicode's composed form (NFC), as trafilatura's own output and most text is: pages typed
    on some systems spell "ü" as "u" and a combining mark, which then matches no search for "ü"."""
    if not text or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _clip(value: str | None) -> str | None:
    return prune.normalise_space(value)[:1000] or None if value else None
