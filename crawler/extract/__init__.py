"""News-grade article extraction: bytes in, article record out (pure: no Scrapy imports)."""

from crawler.extract.article import EXTRACTOR, SCHEMA_VERSION, extract_article
from crawler.extract.errors import BadInput, EmptyText, ExtractionDrop, NotAnArticle, NotHtml, TooLarge
from crawler.extract.options import ExtractOptions

__all__ = [
    "EXTRACTOR",
    "SCHEMA_VERSION",
    "BadInput",
    "EmptyText",
    "ExtractOptions",
    "ExtractionDrop",
    "NotAnArticle",
    "NotHtml",
    "TooLarge",
    "extract_article",
]
