"""Loads the demo network's data file into articles with their ground-truth story labels.

A copy of a wire story is rendered from the agency text with the edits the data asks for:
truncation (`keep`), a new headline, a dateline, a credit line, an inserted local paragraph and
word replacements, which are the edits outlets really make.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.dates.durations import parse_duration

# The clock `newscrawl demo` runs the network at. A fixed time (and fixed ports) gives every demo
# article the same URL, and so the same id, on every run: a second demo stores nothing new.
DEMO_CLOCK = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    template: str
    port: int = 0  # the port `newscrawl demo` serves it on; 0: one the OS picks


@dataclass(frozen=True)
class DemoArticle:
    outlet: str
    slug: str
    story: str  # ground-truth label: copies of one wire story share it
    title: str
    author: str
    category: str
    published: datetime
    paragraphs: tuple[str, ...]
    dateline: str | None
    credit: str | None
    caption: str | None
    agency: str | None

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"


@dataclass(frozen=True)
class NetworkData:
    outlets: tuple[Outlet, ...]
    articles: tuple[DemoArticle, ...]

    def articles_of(self, outlet_id: str) -> list[DemoArticle]:
        return [a for a in self.articles if a.outlet == outlet_id]


def default_data_path() -> Path:
    return Path(str(resources.files("crawler.demo").joinpath("data/network.toml")))


def load_network(path: Path | None = None, now: datetime | None = None) -> NetworkData:
    raw = tomllib.loads((path or default_data_path()).read_text(encoding="utf-8"))
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    outlets = tuple(Outlet(o["id"], o["name"], o["template"], o.get("port", 0)) for o in raw["outlet"])
    wires = {w["id"]: w for w in raw.get("wire", [])}
    articles = tuple(_article(entry, wires, now) for entry in raw["article"])
    return NetworkData(outlets, articles)


def _article(entry: dict[str, Any], wires: dict[str, dict[str, Any]], now: datetime) -> DemoArticle:
    wire = wires.get(entry["story"])
    paragraphs = list(entry.get("paragraphs") or wire["paragraphs"])  # type: ignore[index]
    if "keep" in entry:
        paragraphs = paragraphs[: entry["keep"]]
    if "local" in entry:
        paragraphs.insert(entry.get("insert_after", len(paragraphs)), entry["local"])
    for old, new in entry.get("replace", []):
        paragraphs = [p.replace(old, new) for p in paragraphs]
    return DemoArticle(
        outlet=entry["outlet"],
        slug=entry["slug"],
        story=entry["story"],
        title=entry.get("title") or wire["title"],  # type: ignore[index]
        author=entry.get("author", "Staff"),
        category=entry.get("category", "News"),
        published=now - parse_duration(entry.get("age", "1h")),
        paragraphs=tuple(paragraphs),
        dateline=entry.get("dateline"),
        credit=entry.get("credit"),
        caption=entry.get("caption"),
        agency=wire["agency"] if wire else None,
    )
