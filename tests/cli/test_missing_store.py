"""A store that is not there, given to a command that reads or reworks a store (read, stats,
compact, dedup --store): one line naming it and a non-zero exit, never an empty result, and
nothing created where the mistyped path points."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from crawler.cli.main import main
from crawler.storage import RunWriter, StorageError, open_store
from tests.storage.factories import article

STORE_COMMANDS = [["read"], ["stats"], ["compact"], ["dedup"]]


def _one_error_line(err: str, command: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"newscrawl {command}: error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("form", ["{path}", "file://{path}"])
def test_a_mistyped_local_store_is_named_and_nothing_is_created(tmp_path, capsys, command, form):
    (tmp_path / "bucket").mkdir()
    typo = tmp_path / "bukcet"
    assert main([*command, "--store", form.format(path=typo)]) == 2
    line = _one_error_line(capsys.readouterr().err, command[0])
    assert f"store path {typo} does not exist; fix the path" in line
    assert not typo.exists() and [p.name for p in tmp_path.iterdir()] == ["bucket"]


@pytest.mark.parametrize("command", ["read", "stats", "compact"])
def test_a_missing_default_store_is_named_too(tmp_path, capsys, monkeypatch, command):
    # No --store: $NEWSCRAWL_STORE (or ./newscrawl-data) is the store, and must exist as well.
    missing = tmp_path / "newscrawl-data"
    monkeypatch.setenv("NEWSCRAWL_STORE", str(missing))
    assert main([command]) == 2
    assert f"store path {missing} does not exist" in _one_error_line(capsys.readouterr().err, command)
    assert not missing.exists()


@pytest.mark.parametrize("command", [["read"], ["stats", "--json"]], ids=lambda c: c[0])
def test_an_existing_empty_directory_is_an_empty_store(tmp_path, capsys, command):
    assert main([*command, "--store", str(tmp_path)]) == 0
    assert "error" not in capsys.readouterr().err


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda c: c[0])
def test_a_missing_bucket_is_named_with_exit_1(s3_env, capsys, command):
    bucket = f"missing-{uuid.uuid4().hex[:12]}"
    assert main([*command, "--store", f"s3://{bucket}/news"]) == 1
    line = _one_error_line(capsys.readouterr().err, command[0])
    assert f"bucket '{bucket}'" in line and "does not exist; create it or fix the store URI" in line


def test_open_store_refuses_a_missing_path_only_when_asked(tmp_path: Path):
    with pytest.raises(StorageError, match="does not exist"):
        open_store(str(tmp_path / "none"), missing_ok=False)
    with open_store(str(tmp_path / "none")) as store:  # writers create it on their first put
        assert store.list() == []
    assert not (tmp_path / "none").exists()


def test_a_checkpoint_past_the_stores_last_run_names_both(tmp_path, capsys):
    # Checkpoints only grow; a larger one came from another store, and would read nothing forever.
    with open_store(str(tmp_path), write=True) as store:
        writer = RunWriter(store)
        writer.add_article(article(0))
        writer.commit({})
    assert main(["read", "--store", str(tmp_path), "--after", "000000000002"]) == 2
    line = _one_error_line(capsys.readouterr().err, "read")
    assert f"--after 000000000002 is past the last run in file://{tmp_path} (000000000001)" in line
    assert main(["read", "--store", str(tmp_path), "--after", "000000000001"]) == 0
    assert capsys.readouterr().out == ""
