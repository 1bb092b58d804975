"""crawler/defaults.py is the one home of newscrawl's settings: components read them without a
fallback, every name they read is declared, each value is set once, and -s reaches the dedup config."""

from __future__ import annotations

import ast
import json
import logging
import pathlib
import subprocess
import sys
from datetime import timedelta

import pytest
from scrapy import Spider
from scrapy.settings import default_settings

import crawler.settings as project_settings
from crawler.cli.errors import UsageError
from crawler.cli.overrides import parse_overrides
from crawler.cli.setting_names import SCRAPY_REDIS, known_settings
from crawler.defaults import RENAMED, RenamedSettings, declared
from crawler.run.runner import newscrawl_settings
from crawler.run.state import get_run
from crawler.storage.uri import DEFAULT_URI, resolve_uri
from dedup.config import DedupConfig
from tests.support.cli import cli_env, run_cli
from tests.support.crawlers import newscrawl_crawler

ROOT = pathlib.Path(__file__).resolve().parents[1]
GETTERS = {"get", "getbool", "getint", "getfloat", "getlist", "getdict", "getdictorlist", "getwithbase"}


def _trees() -> list[tuple[pathlib.Path, ast.Module]]:
    return [(path, ast.parse(path.read_text())) for path in sorted((ROOT / "crawler").rglob("*.py"))]


def _is_settings(node: ast.expr) -> bool:
    """`settings`, `crawler.settings`, `self.crawler.settings`: the objects Scrapy settings are read from."""
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def _string_constants() -> dict[str, str]:
    """Module-level `NAME = "SETTING"` constants, by which some modules name the setting they read."""
    constants = {}
    for _path, tree in _trees():
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        constants[target.id] = node.value.value
    return constants


def _reads() -> list[tuple[str, ast.Call | ast.Subscript]]:
    """Every settings read in crawler/: `settings.get*(...)` calls and `settings[...]` lookups."""
    reads: list[tuple[str, ast.Call | ast.Subscript]] = []
    for path, tree in _trees():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in GETTERS
                and _is_settings(node.func.value)
            ) or (isinstance(node, ast.Subscript) and _is_settings(node.value)):
                reads.append((f"{where}:{node.lineno}", node))
    return reads


def _name_read(node: ast.Call | ast.Subscript, constants: dict[str, str]) -> str | None:
    key = node.args[0] if isinstance(node, ast.Call) and node.args else getattr(node, "slice", None)
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    if isinstance(key, ast.Name):
        return constants.get(key.id)
    return None


def test_no_setting_is_read_with_an_inline_default() -> None:
    inline = [
        where
        for where, node in _reads()
        if isinstance(node, ast.Call)
        and (len(node.args) > 1 or any(k.arg == "default" for k in node.keywords))
    ]
    assert inline == [], "declare the default in crawler/defaults.py and read the setting without one"


def test_every_setting_read_is_declared() -> None:
    constants = _string_constants()
    declared_here = set(declared()) | {name for name in vars(project_settings) if name.isupper()}
    scrapy_own = {name for name in vars(default_settings) if name.isupper()}
    read = {(where, _name_read(node, constants)) for where, node in _reads()}
    assert {(where, name) for where, name in read if name and name.isupper()}, "the scan found no reads"
    undeclared = sorted(
        (where, name)
        for where, name in read
        if name is not None and name not in declared_here | scrapy_own | SCRAPY_REDIS
    )
    assert undeclared == []


def test_every_declared_setting_is_read_somewhere() -> None:
    sources = "".join(
        path.read_text() for path in (ROOT / "crawler").rglob("*.py") if path.name != "defaults.py"
    )
    # DedupConfig.from_settings reads the DEDUP_<FIELD> names it builds from its own fields.
    dedup_fields = set(DedupConfig().as_settings())
    unread = sorted(name for name in declared() if name not in dedup_fields and f'"{name}"' not in sources)
    assert unread == []


def _settings_set(name: str) -> list[str]:
    """Where crawler/ gives `name` a value: a module-level assignment or a key of a dict literal."""
    places = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            keys: list[ast.expr | None] = []
            if isinstance(node, ast.Assign):
                keys = [t for t in node.targets if isinstance(t, ast.Name) and t.id == name]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                keys = [node.target] if node.target.id == name else []
            elif isinstance(node, ast.Dict):
                keys = [k for k in node.keys if isinstance(k, ast.Constant) and k.value == name]
            places += [f"{path.relative_to(ROOT)}:{node.lineno}" for _ in keys]
    return places


@pytest.mark.parametrize("name", ["DOWNLOAD_TIMEOUT", "DNS_TIMEOUT", "STORAGE_URI"])
def test_timeouts_and_the_store_are_set_in_one_place(name: str) -> None:
    assert len(_settings_set(name)) == 1, _settings_set(name)


def test_the_default_store_is_written_once(monkeypatch: pytest.MonkeyPatch) -> None:
    literal = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == DEFAULT_URI
    ]
    assert len(literal) == 1, literal
    monkeypatch.delenv("NEWSCRAWL_STORE", raising=False)
    assert newscrawl_settings()["STORAGE_URI"] is None  # the store falls back to DEFAULT_URI
    assert resolve_uri(newscrawl_settings()["STORAGE_URI"]) == DEFAULT_URI


def test_a_component_setting_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="DOWNLOAD_TIMEOUT is set twice"):
        project_settings._merge({"DOWNLOAD_TIMEOUT": 60})
    with pytest.raises(ValueError, match="set by two components"):
        project_settings._merge({"EXTENSIONS": {"crawler.run.heap.FrozenHeap": 1}})
    assert project_settings.DOWNLOAD_TIMEOUT == 30


def test_dash_s_dedup_thresholds_reach_the_crawls_dedup_config(tmp_path: pathlib.Path) -> None:
    overrides = parse_overrides(["DEDUP_JACCARD_THRESHOLD=0.6", "DEDUP_WINDOW_DAYS=7"])
    crawler = newscrawl_crawler(Spider, {"STORAGE_URI": str(tmp_path), "EXTRACT_WORKERS": 0, **overrides})
    run = get_run(crawler, [])
    try:
        assert run.dedup_config.jaccard_threshold == 0.6
        assert run.dedup_config.window == timedelta(days=7)
        assert run.dedup_config.containment_threshold == DedupConfig().containment_threshold
    finally:
        run.close()


def test_every_dedup_config_field_is_a_known_setting() -> None:
    names = set(DedupConfig().as_settings())
    assert {"DEDUP_JACCARD_THRESHOLD", "DEDUP_WINDOW_DAYS", "DEDUP_MAX_COPY_GAP_DAYS"} <= names
    assert names <= known_settings()
    assert DedupConfig.from_settings(DedupConfig().as_settings()) == DedupConfig()


def test_a_misspelt_or_mistyped_dedup_setting_is_refused_where_typed() -> None:
    with pytest.raises(UsageError, match="did you mean DEDUP_JACCARD_THRESHOLD"):
        parse_overrides(["DEDUP_JACARD_THRESHOLD=0.6"])
    with pytest.raises(UsageError, match="DEDUP_MIN_SHARED_SHINGLES takes a whole number"):
        parse_overrides(["DEDUP_MIN_SHARED_SHINGLES=many"])


def test_dedup_config_names_the_setting_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="DEDUP_NUM_PERM='x'"):
        DedupConfig.from_settings({"DEDUP_NUM_PERM": "x"})


def test_a_renamed_setting_still_works_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    assert "crawler.defaults.RenamedSettings" in newscrawl_settings().getdict("ADDONS")
    assert parse_overrides(["NEWSCRAWL_METRICS_INTERVAL=5"]) == {"NEWSCRAWL_METRICS_INTERVAL": "5"}
    with pytest.raises(UsageError, match="must be above 0"):
        parse_overrides(["NEWSCRAWL_METRICS_INTERVAL=0"])
    settings = newscrawl_settings({"NEWSCRAWL_METRICS_INTERVAL": "5"})
    with caplog.at_level(logging.WARNING):
        RenamedSettings().update_settings(settings)
    assert settings.getfloat("METRICS_INTERVAL") == 5.0
    assert "NEWSCRAWL_METRICS_INTERVAL is deprecated; use METRICS_INTERVAL" in caplog.text


def test_a_new_name_set_higher_wins_over_its_old_name() -> None:
    settings = newscrawl_settings({"METRICS_INTERVAL": "9"})
    settings.set("NEWSCRAWL_METRICS_INTERVAL", "5", priority="project")
    RenamedSettings().update_settings(settings)
    assert settings.getfloat("METRICS_INTERVAL") == 9.0


def test_renamed_names_are_not_declared_again() -> None:
    assert set(RENAMED) & set(declared()) == set()
    assert set(RENAMED.values()) <= set(declared())


def _near_copies() -> str:
    words = [f"word{i}" for i in range(200)]
    edited = [f"other{i}" if i % 25 == 0 else word for i, word in enumerate(words)]
    return "".join(
        json.dumps({"id": name, "text": " ".join(text)}) + "\n"
        for name, text in (("a", words), ("b", edited))
    )


@pytest.mark.parametrize(
    ("pairs", "together"),
    [([], True), (["-s", "DEDUP_JACCARD_THRESHOLD=0.95", "-s", "DEDUP_CONTAINMENT_THRESHOLD=0.95"], False)],
)
def test_dash_s_sets_the_dedup_command_thresholds(pairs: list[str], together: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "dedup", "-", *pairs], input=_near_copies(), capture_output=True,
        text=True, cwd=ROOT, env=cli_env(), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert (a["cluster_id"] == b["cluster_id"]) is together


def test_the_dedup_command_refuses_a_crawl_setting() -> None:
    result = run_cli("dedup", "records.jsonl", "-s", "DOWNLOAD_DELAY=1")
    assert result.returncode == 2
    assert "reads only the dedup parameters" in result.stderr


def test_declared_defaults_are_copies_a_crawl_cannot_change() -> None:
    declared()["NEWSCRAWL_TDM_ROBOTS_AGENTS"].append("SomeBot")
    assert "SomeBot" not in declared()["NEWSCRAWL_TDM_ROBOTS_AGENTS"]


def test_every_declared_setting_is_named_for_its_component() -> None:
    prefixes = ("NEWSCRAWL_", "STORAGE_", "EXTRACT_", "DEDUP_", "METRICS_", "FRONTIER_", "GC_", "ROBOTSTXT_")
    assert [name for name in declared() if not name.startswith(prefixes)] == []


def test_a_dedup_threshold_out_of_range_is_refused_not_a_silent_switch() -> None:
    # Jaccard 2 matches nothing and a negative floor matches everything: dedup off or on wholesale.
    with pytest.raises(ValueError, match=r"DEDUP_JACCARD_THRESHOLD\) is a fraction between 0 and 1, got 2"):
        DedupConfig.from_settings({"DEDUP_JACCARD_THRESHOLD": "2"})
    with pytest.raises(ValueError, match=r"DEDUP_MIN_SHARED_SHINGLES\) is a count of at least 0"):
        DedupConfig(min_shared_shingles=-1)
    with pytest.raises(ValueError, match=r"DEDUP_MAX_COPY_GAP_DAYS\) is a duration"):
        DedupConfig.from_settings({"DEDUP_MAX_COPY_GAP_DAYS": "-1"})
    with pytest.raises(UsageError, match=r"-s: jaccard_threshold \(DEDUP_JACCARD_THRESHOLD\) is a fraction"):
        parse_overrides(["DEDUP_JACCARD_THRESHOLD=2"])
