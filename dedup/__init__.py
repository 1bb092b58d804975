"""Syndication dedup: MinHash LSH candidates, verified, clustered. Imports no Scrapy."""
