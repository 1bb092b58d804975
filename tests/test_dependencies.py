"""pyproject's runtime dependencies are exactly the distributions crawler/ and dedup/ import."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"crawler", "dedup"}
# Declared though no module imports them, each for a reason of its own.
DECLARED_UNIMPORTED: dict[str, str] = {
    "lxml-html-clean": "lxml.html.clean for trafilatura's justext; lxml 6 has no html_clean extra",
}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(requirement) for requirement in project["dependencies"]}


def imported_modules() -> dict[str, str]:
    """Top-level third-party module -> the first file that imports it."""
    found: dict[str, str] = {}
    for package in sorted(FIRST_PARTY):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in FIRST_PARTY and top not in sys.stdlib_module_names:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_imported_distribution_is_declared() -> None:
    distributions = packages_distributions()
    undeclared = {
        module: where
        for module, where in imported_modules().items()
        if not {_name(d) for d in distributions.get(module, [module])} & declared()
    }
    assert undeclared == {}, "add these to [project] dependencies in pyproject.toml"


def test_every_declared_dependency_is_imported() -> None:
    distributions = packages_distributions()
    used = {_name(d) for module in imported_modules() for d in distributions.get(module, [module])}
    assert declared() - used - set(DECLARED_UNIMPORTED) == set(), "drop these, or say in the test why"
