"""dedup/ is a plain library: no module in it may import Scrapy or the crawler package."""

import ast
from pathlib import Path

import pytest

DEDUP = Path(__file__).resolve().parents[2] / "dedup"


@pytest.mark.parametrize("module", sorted(DEDUP.rglob("*.py")), ids=lambda path: path.name)
def test_dedup_module_imports_neither_scrapy_nor_crawler(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"scrapy", "crawler", "twisted"}, f"{module.name} imports {imported}"
