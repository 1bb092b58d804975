"""The import contract in pyproject.toml ([tool.importlinter]) holds: which packages may import what.

One contract file replaces one hand-written walk per package: plain libraries (dedup, storage,
extraction, discovery, the pure monitoring and security modules) never load Scrapy or Twisted, dedup
never imports crawler, nothing below the CLI imports it, and a crawl's layers point one way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*search_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, search_path))}
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=search_path[0],  # lint-imports looks in its working directory first
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_import_contract_holds() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_contract_catches_a_library_that_imports_scrapy_or_crawler(tmp_path: Path) -> None:
    leaky = tmp_path / "dedup"
    leaky.mkdir()
    (leaky / "__init__.py").write_text("")
    (leaky / "leak.py").write_text("import scrapy\nfrom crawler.run.state import get_run\n")
    done = lint_imports(tmp_path, ROOT)  # this dedup shadows the real one
    assert done.returncode == 1
    assert "dedup is not allowed to import scrapy" in done.stdout
    assert "dedup.leak -> crawler.run.state (l.2)" in done.stdout


def test_the_contract_catches_an_import_of_the_cli_from_below_it(tmp_path: Path) -> None:
    # The cycle monitoring -> cli -> monitoring, planted in a copy of the package.
    copy = tmp_path / "crawler"
    subprocess.run(["cp", "-r", str(ROOT / "crawler"), str(copy)], check=True)
    (copy / "monitoring" / "leak.py").write_text("from crawler.cli.errors import UsageError\n")
    done = lint_imports(tmp_path, ROOT)
    assert done.returncode == 1
    assert "crawler.monitoring.leak -> crawler.cli.errors (l.1)" in done.stdout
