"""The pages `crawl_throughput.py` crawls: N synthetic articles from three outlet templates (with
feeds and sitemaps), page clutter around them, or real article pages served in their place."""

from __future__ import annotations

import gzip
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demo.network import DemoArticle, NetworkData, Outlet  # noqa: E402
from crawler.demo.server import DemoNetwork  # noqa: E402
from crawler.extract import ExtractionDrop, ExtractOptions  # noqa: E402
from crawler.workers.page import process_page  # noqa: E402
from dedup import DedupConfig  # noqa: E402

WORDS = [
    "government",
    "minister",
    "said",
    "officials",
    "talks",
    "agreement",
    "trade",
    "market",
    "prices",
    "report",
    "week",
    "year",
    "city",
    "council",
    "police",
    "court",
    "region",
    "company",
    "workers",
    "union",
    "energy",
    "oil",
    "gas",
    "power",
    "water",
    "rain",
    "flood",
    "school",
    "hospital",
    "election",
    "party",
    "vote",
    "leader",
    "president",
    "border",
    "security",
    "army",
    "ship",
    "port",
    "bank",
    "rate",
    "growth",
    "farmers",
    "crops",
    "export",
    "import",
    "tax",
    "budget",
    "plan",
    "project",
    "road",
    "rail",
    "bridge",
    "airport",
    "tourism",
    "climate",
    "research",
    "study",
    "scientists",
    "data",
    "health",
    "vaccine",
    "patients",
    "doctors",
    "children",
    "families",
    "residents",
]


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def synthetic_network(n: int, seed: int = 7) -> NetworkData:
    rng = random.Random(seed)
    outlets = (Outlet("bench-wp", "Bench Post", "wordpress"), Outlet("bench-ld", "Bench Ledger", "jsonld"),
               Outlet("bench-plain", "Bench Times", "plain"))  # fmt: skip
    now = datetime.now(UTC).replace(microsecond=0)
    articles = []
    for i in range(n):
        articles.append(DemoArticle(
            outlet=outlets[i % 3].id, slug=f"story-{i}", story=f"s{i}", title=f"Story number {i}: " + paragraph(rng)[:60],
            author="Bench Writer", category="News", published=now - timedelta(minutes=i),
            paragraphs=tuple(paragraph(rng) for _ in range(rng.randint(6, 9))), dateline=None,
            credit=None, caption=None, agency=None,
        ))  # fmt: skip
    return NetworkData(outlets, tuple(articles))


def page_clutter(rng: random.Random) -> str:
    """What real news pages carry around an article (~100 KB): scripts, styles, a mega-menu, teaser
    sidebars and a link-heavy footer. Extraction has to parse and discard all of it."""
    script = "".join(
        f"var w{i}=function(a){{return a*{rng.randint(1, 99)}+'{rng.choice(WORDS)}';}};" for i in range(400)
    )
    style = "".join(
        f".c{i}{{margin:{rng.randint(0, 9)}px;color:#{rng.randint(0, 0xFFFFFF):06x}}}" for i in range(400)
    )
    menu = "".join(
        f'<li><a href="/section/{rng.choice(WORDS)}/{i}/">{rng.choice(WORDS).title()}</a></li>'
        for i in range(300)
    )
    teasers = "".join(
        f'<div class="teaser"><a href="/teaser/{i}/"><h4>{paragraph(rng)[:70]}</h4></a><p>{paragraph(rng)[:160]}</p></div>'
        for i in range(50)
    )
    footer = "".join(f'<a href="/about/{i}/">{rng.choice(WORDS)}</a> ' for i in range(150))
    return (f"<script>{script}</script><style>{style}</style><nav class=\"mega-menu\"><ul>{menu}</ul></nav>"
            f'<aside class="most-read">{teasers}</aside><footer class="site-footer">{footer}</footer>')  # fmt: skip


def add_clutter(network: DemoNetwork, seed: int = 11) -> int:
    """Put realistic page weight into every article page; returns the mean page size in bytes."""
    rng = random.Random(seed)
    sizes = []
    for site in network.sites.values():
        for article in network.data.articles_of(site.outlet.id):
            content_type, body = site.pages[article.path]
            body = body.replace(b"</body>", page_clutter(rng).encode() + b"</body>", 1)
            site.pages[article.path] = (content_type, body)
            sizes.append(len(body))
    return sum(sizes) // max(len(sizes), 1)


def use_real_pages(network: DemoNetwork, pages_dir: Path) -> int:
    """Serve real article pages (`*.html` or `*.html.gz`, e.g. the AEB's) in place of the synthetic
    ones, cycled over the N articles; returns the mean page size in bytes. Their rel=canonical and
    og:url are renamed so that each served copy counts as its own article (the copies of one page
    are exact duplicates to dedup), and pages extraction drops are left out, as the limit must
    extract every page it is given."""
    pages = []
    for path in sorted(pages_dir.glob("*.html*")):
        body = path.read_bytes()
        body = gzip.decompress(body) if path.suffix == ".gz" else body
        body = re.sub(rb"(?i)rel=([\"']?)canonical", rb"rel=\1x-canonical", body)
        body = re.sub(rb"(?i)(property|name)=([\"']?)og:url", rb"\1=\2x-og:url", body)
        if extracts((body, "http://127.0.0.1/" + path.name)):
            pages.append(body)
    if not pages:
        raise SystemExit(f"no extractable *.html or *.html.gz pages in {pages_dir}")
    articles = [
        (site, a) for site in network.sites.values() for a in network.data.articles_of(site.outlet.id)
    ]
    for i, (site, article) in enumerate(articles):
        site.pages[article.path] = ("text/html; charset=utf-8", pages[i % len(pages)])
    return sum(len(pages[i % len(pages)]) for i in range(len(articles))) // max(len(articles), 1)


def extracts(args: tuple[bytes, str]) -> int:
    """1 when the (body, url) page extracts as an article, else 0 (a pool counts them by summing)."""
    body, url = args
    try:
        process_page(body, url, "text/html; charset=utf-8", 200, ExtractOptions(), DedupConfig())
    except ExtractionDrop:
        return 0
    return 1
