"""Wire-story texts with controlled edits for the dedup tests."""

from __future__ import annotations

import random

_WORDS = [
    "minister",
    "port",
    "railway",
    "harbour",
    "grain",
    "export",
    "council",
    "budget",
    "village",
    "river",
    "bridge",
    "court",
    "vote",
    "union",
    "strike",
    "vaccine",
    "clinic",
    "flood",
    "drought",
    "satellite",
    "launch",
    "orbit",
    "market",
    "price",
    "tariff",
    "bank",
    "loan",
    "farmer",
    "teacher",
    "nurse",
    "school",
    "hospital",
    "road",
    "fuel",
    "power",
    "plant",
    "factory",
    "worker",
    "engineer",
    "mayor",
    "governor",
    "senate",
]


def story(seed: int, paragraphs: int = 6, words: int = 60) -> list[str]:
    """A deterministic pseudo-story: paragraphs of words drawn from a small news vocabulary."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "." for _ in range(paragraphs)]


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)
