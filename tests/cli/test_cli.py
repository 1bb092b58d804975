"""The command line's contract: --help everywhere, one clear line and exit 2 on bad input."""

from __future__ import annotations

import pytest

from crawler.cli.main import build_parser
from tests.support.cli import run_cli

COMMANDS = ["crawl", "fetch", "sources", "demo", "dedup", "read", "stats", "compact"]


def test_every_command_is_registered():
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(subparsers.choices) == sorted(COMMANDS)


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_help_on_every_command(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert "usage: newscrawl" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "no-such-outlet"], "unknown source id(s): no-such-outlet"),
        (["crawl", "--since", "yesterday"], "--since: 'yesterday' is not a duration"),
        (["crawl", "--since", "9999999999d"], "--since: '9999999999d' is too long"),
        (["crawl", "--store", "gopher://x"], "gopher"),
        (["sources", "--sources", "/nonexistent.toml"], "no such sources file"),
        (["sources", "--sources", "/"], "cannot read the sources file"),
        (["crawl", "-s", "lowercase=1"], "NAME=VALUE"),
        (["crawl", "--max-runtime", "-5"], "'-5' is not a whole number of seconds above 0"),
        (["crawl", "--max-runtime", "0"], "'0' is not a whole number of seconds above 0"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_lists_and_validates_the_registry():
    result = run_cli("sources")
    assert result.returncode == 0
    assert result.stdout.startswith("thebricspost  The BRICS Post  https://thebricspost.com/")
    assert "source(s) OK" in result.stdout


def test_the_command_exits_with_mains_code_and_a_frozen_heap(monkeypatch):
    # Frozen, the heap is not walked once more by the collector at interpreter exit (0.25 s after
    # a crawl); the exit code is still main's.
    import gc

    from crawler.cli import main as cli

    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.run()
        assert exit_.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
