"""The article record type (`ArticleRecord`) and what is generated from it: the JSON Schema, the
Parquet columns and the README's field table (`python -m crawler.record --write`)."""

from crawler.record.article import SCHEMA_VERSION, ArticleRecord

__all__ = ["SCHEMA_VERSION", "ArticleRecord"]
