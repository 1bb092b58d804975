"""`python -m crawler.extract.golden --update` regenerates expectations for review."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler.extract.golden", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_update_restores_a_tampered_expectation_and_keeps_the_snippets(tmp_path: Path) -> None:
    for suffix in (".html", ".json"):
        name = f"wire-reuters-dateline{suffix}"
        shutil.copy(GOLDEN / name, tmp_path / name)
    case_file = tmp_path / "wire-reuters-dateline.json"
    original = json.loads(case_file.read_text(encoding="utf-8"))
    tampered = dict(original, expected=dict(original["expected"], title="Wrong title"))
    case_file.write_text(json.dumps(tampered), encoding="utf-8")

    result = run("--update", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "1 case(s) changed" in result.stdout
    assert json.loads(case_file.read_text(encoding="utf-8")) == original


def test_update_is_a_no_op_on_the_committed_cases(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN, tmp_path / "golden")
    result = run("--update", str(tmp_path / "golden"))
    assert result.returncode == 0, result.stderr
    assert "0 case(s) changed" in result.stdout


def test_missing_directory_is_one_clear_line(tmp_path: Path) -> None:
    result = run("--update", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error:") and "Traceback" not in result.stderr


def test_without_update_it_says_what_to_pass() -> None:
    result = run()
    assert result.returncode == 2
    assert "pass --update" in result.stderr
