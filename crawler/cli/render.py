"""`fetch --format text|markdown`: a record as a person reads it, instead of its JSON line."""

from __future__ import annotations

from typing import Any

FORMATS = ("json", "text", "markdown")


def as_text(record: dict[str, Any]) -> str:
    """The title, then the article text: what trafilatura's plain output gives."""
    parts = [record.get("title") or "", record.get("text") or ""]
    return "\n\n".join(part for part in parts if part) + "\n"


def as_markdown(record: dict[str, Any]) -> str:
    lines = [f"# {record.get('title') or record.get('url')}", ""]
    byline = []
    if record.get("authors"):
        byline.append("By " + ", ".join(record["authors"]))
    if record.get("published_at"):
        byline.append(str(record["published_at"]))
    byline.append(f"<{record.get('final_url') or record.get('url')}>")
    lines += ["*" + " · ".join(byline[:-1]) + "*  " if len(byline) > 1 else "", byline[-1], ""]
    if record.get("description"):
        lines += [f"> {record['description']}", ""]
    lines.append(record.get("text") or "")
    return "\n".join(line for i, line in enumerate(lines) if line or i != 2) + "\n"
