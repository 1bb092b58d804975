"""The end-of-run summary a person reads: what was fetched, stored, clustered, and where it went."""

from __future__ import annotations

from crawler.run.runner import CrawlResult


def format_summary(result: CrawlResult, store_description: str) -> str:
    dropped = {
        key.split("/", 1)[1]: value
        for key, value in result.stats.items()
        if key.startswith("item_dropped_reasons_count/")
    }
    lines = [
        "newscrawl run summary",
        f"  pages fetched     {result.stat('downloader/response_count')}",
        f"  articles stored   {result.stat('storage/article_count')}",
        f"  duplicates found  {result.duplicates}",
        f"  errors            {result.errors}",
    ]
    if dropped:
        lines.append("  dropped           " + ", ".join(f"{k}={v}" for k, v in sorted(dropped.items())))
    lines.append(f"  data             {store_description}")
    return "\n".join(lines)
