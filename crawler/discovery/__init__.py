"""Pure discovery helpers (no Scrapy): feed, sitemap, WordPress API and listing-page parsing, URLs."""

from crawler.discovery.announce import Announcement, parse_date
from crawler.discovery.urls import canonical_identity, normalize_url

__all__ = ["Announcement", "canonical_identity", "normalize_url", "parse_date"]
