"""`newscrawl fetch` extracts any page it is given; page_type says what it is. Only articles are stored."""

from __future__ import annotations

import pytest

from crawler.storage import Reader, open_store
from tests.support.cli import FAST, json_lines, run_cli

pytestmark = pytest.mark.slow


def test_fetch_gives_a_home_page_its_text_and_page_type_and_never_stores_it(network, registry_file, tmp_path):
    home = network.url_of("daily-meridian", "/")
    first_title = network.data.articles_of("daily-meridian")[0].title
    shown = run_cli("fetch", home, "--sources", str(registry_file), "--allow-private", *FAST)
    assert shown.returncode == 0, shown.stdout + shown.stderr[-2000:]
    (record,) = json_lines(shown.stdout)
    assert record["page_type"] == "home"
    assert first_title in record["text"]
    store = f"file://{tmp_path / 'store'}"
    stored = run_cli(
        "fetch", home, "--store", store, "--sources", str(registry_file), "--allow-private", *FAST
    )
    assert stored.returncode == 1 and "NotAnArticle" in json_lines(stored.stdout)[0]["error"]
    assert not (tmp_path / "store").exists() or list(Reader(open_store(store)).articles()) == []
