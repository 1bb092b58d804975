"""Wire-story texts with controlled edits for the dedup tests, two fixed stories, and the generated
evaluation set."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dedup import Document

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


EVAL_SET = Path(__file__).resolve().parents[2] / "eval" / "syndication" / "docs.jsonl"
STORY = (
    "The central bank raised its key rate by 50 basis points to 6.25 percent on Thursday, its third "
    "increase this year, citing inflation that reached 7.4 percent in October. Governor Ana Ruiz said "
    "further steps would depend on food and fuel prices over the winter months ahead. "
)
OTHER = (
    "Heavy rain flooded 1,200 homes in the river delta overnight and rescue teams moved 3,400 people to "
    "schools and stadiums, the regional disaster agency said, warning of more storms this weekend. "
)


def eval_docs() -> list[dict[str, Any]]:
    """The generated syndication set's records (eval/syndication/docs.jsonl)."""
    return [json.loads(line) for line in EVAL_SET.read_text().splitlines()]


T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def doc(doc_id: str, body: str, hours: float = 0, agency: str | None = None) -> Document:
    """A Document published `hours` after T0."""
    return Document(id=doc_id, text=body, published_at=T0 + timedelta(hours=hours), agency=agency)
