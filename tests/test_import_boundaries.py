"""dedup/ and the storage code are plain libraries: they must never import Scrapy or crawler/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAIN_LIBRARIES = {
    "dedup": ("scrapy", "twisted", "crawler"),
    "crawler/storage": ("scrapy", "twisted", "crawler"),
    "crawler/extract": ("scrapy", "twisted"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in forbidden):
                # crawler.storage may import itself; anything else from crawler is forbidden for dedup.
                if package == "crawler/storage" and module.startswith("crawler.storage"):
                    continue
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return sorted(found)


@pytest.mark.parametrize("package", sorted(PLAIN_LIBRARIES))
def test_plain_library_imports_no_scrapy_or_crawler(package):
    assert (ROOT / package).is_dir(), f"{package} is missing"
    assert violations(package, PLAIN_LIBRARIES[package]) == []


def test_boundary_check_catches_a_forbidden_import(tmp_path, monkeypatch):
    bad = tmp_path / "dedup"
    bad.mkdir()
    (bad / "leak.py").write_text("import scrapy\nfrom crawler.run import get_run\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations("dedup", PLAIN_LIBRARIES["dedup"]) == [
        "dedup/leak.py imports crawler.run",
        "dedup/leak.py imports scrapy",
    ]
