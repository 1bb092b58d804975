"""The storage code is a plain library: it must never import Scrapy or the rest of `crawler`."""

import ast
from pathlib import Path

import pytest

STORAGE = Path(__file__).resolve().parents[2] / "crawler" / "storage"


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(STORAGE.glob("*.py")), ids=lambda p: p.name)
def test_storage_module_imports_neither_scrapy_nor_crawler(path):
    for name in _imports(path):
        top = name.split(".")[0]
        assert top not in {"scrapy", "twisted"}, f"{path.name} imports {name}"
        if top == "crawler":
            assert name.startswith("crawler.storage"), f"{path.name} imports {name}"


def test_importing_storage_does_not_load_scrapy():
    import subprocess
    import sys

    code = (
        "import sys, crawler.storage; "
        "print(any(m.split('.')[0] in ('scrapy', 'twisted') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=STORAGE.parents[1], capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr
