"""Politeness downloader middlewares (robots.txt per RFC 9309, Crawl-delay, Retry-After) and settings."""
