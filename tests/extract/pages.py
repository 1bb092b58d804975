"""A well-formed article page built in code, so extraction tests need no shared data."""

from __future__ import annotations

PARAGRAPHS = [
    "The regional parliament approved a new budget on Tuesday after three weeks of talks.",
    "The plan raises spending on schools and hospitals by four percent and cuts the deficit.",
    "Opposition leaders said the budget relied on optimistic growth forecasts and voted against it.",
    "The finance minister said the first payments to hospitals would be made at the start of next month.",
]


def article_page(paragraphs: list[str] = PARAGRAPHS, extra_head: str = "", extra_body: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget approved</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2020-02-04T10:00:00+01:00">'
        f"{extra_head}</head><body><article><h1>Parliament approves budget</h1>{body}{extra_body}</article>"
        "</body></html>"
    )
