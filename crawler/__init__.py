"""newscrawl's Scrapy project: spiders, pipelines, CLI and the storage layer."""

__version__ = "0.1.0"
