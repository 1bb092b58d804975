"""trafilatura is called in one module and only through its public API, so an upgrade is a version bump."""

from __future__ import annotations

import ast
from pathlib import Path

import lxml.html
import trafilatura

from crawler.extract import ExtractOptions, extract_article, trafilatura_api
from tests.extract.pages import article_page

PACKAGE = Path(trafilatura_api.__file__).resolve().parents[1]
ADAPTER = Path(trafilatura_api.__file__).resolve()
# decode.py reads pages with trafilatura.utils.load_html (public as trafilatura.load_html); it has its own
# owner, so it is listed here rather than moved.
OTHER_CALLERS = {PACKAGE / "extract" / "decode.py"}


def _trafilatura_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    found += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    return [name for name in found if name.split(".")[0] == "trafilatura"]


def test_only_the_adapter_imports_trafilatura() -> None:
    callers = {p for p in PACKAGE.rglob("*.py") if _trafilatura_imports(p)} - OTHER_CALLERS
    assert callers == {ADAPTER}


def test_the_adapter_uses_only_trafilaturas_public_names() -> None:
    assert _trafilatura_imports(ADAPTER) == ["trafilatura"]
    tree = ast.parse(ADAPTER.read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "trafilatura"
    }
    assert used - {"__version__"} <= set(trafilatura.__all__)


def test_byline_author_comes_from_trafilaturas_metadata_search() -> None:
    page = article_page(extra_body='<p class="byline">By Ana Ruiz and Li Wei</p>')
    found = trafilatura_api.page_metadata(lxml.html.fromstring(page), "https://example.com/a")
    assert found.authors == "Ana Ruiz; Li Wei"
    record = extract_article(page.encode(), "https://example.com/a", options=ExtractOptions())
    assert record["authors"] == ["Ana Ruiz", "Li Wei"]


def test_a_surname_that_is_a_month_stays() -> None:
    page = article_page(extra_body='<p class="byline">By Theresa May</p>')
    record = extract_article(page.encode(), "https://example.com/a", options=ExtractOptions())
    assert record["authors"] == ["Theresa May"]


def test_the_page_date_comes_from_the_same_search_when_the_page_declares_none() -> None:
    page = article_page(extra_body='<p class="byline">By Ana Ruiz, 3 May 2024</p>').replace(
        '<meta property="article:published_time" content="2020-02-04T10:00:00+01:00">', ""
    )
    record = extract_article(page.encode(), "https://example.com/2024/05/03/story", options=ExtractOptions())
    assert record["authors"] == ["Ana Ruiz"]
    assert record["published_at"].startswith("2024-05-03")
