"""A well-formed article page built in code, so extraction tests need no shared data."""

from __future__ import annotations

import random
from collections.abc import Sequence

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


def random_markup(
    rng: random.Random,
    vocabulary: tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]],
    max_depth: int,
    nesting: float,
    depth: int = 0,
) -> str:
    """Random nested elements from (tags, attribute names, attribute values, texts), for comparing
    two byline or title searches on pages nobody wrote by hand."""
    tags, attributes, values, texts = vocabulary
    parts = []
    for _ in range(rng.randint(1, 4 if depth < max_depth else 1)):
        tag = rng.choice(tags)
        named = "".join(
            f' {name}="{rng.choice(values)}{rng.choice(["", "", " " + rng.choice(values)])}"'
            for name in rng.sample(list(attributes), rng.randint(0, 2))
        )
        inner = (
            random_markup(rng, vocabulary, max_depth, nesting, depth + 1)
            if depth < max_depth and rng.random() < nesting
            else ""
        )
        parts.append(f"<{tag}{named}>{rng.choice(texts)}{inner}</{tag}>{rng.choice(texts)}")
    return "".join(parts)
