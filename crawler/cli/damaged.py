"""`--skip-damaged` for the commands that read a store (`read`, `stats`), and what they say about
damaged objects: one stderr line per skipped object and a count at the end, exit code 3; without
the flag, one line naming the object and the flag, exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from crawler.cli.errors import CommandError
from crawler.cli.exitcodes import SKIPPED_DAMAGED as EXIT_SKIPPED_DAMAGED
from crawler.storage import DamagedObject, StorageError, Store


def add_skip_damaged_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-damaged",
        action="store_true",
        help=f"go on past damaged manifests and parts, naming each on stderr (exit code {EXIT_SKIPPED_DAMAGED})",
    )


class DamageReport:
    """The Reader's `on_damaged` handler for `--skip-damaged`: names each damaged object once."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.skipped: list[str] = []

    def __call__(self, error: DamagedObject) -> None:
        if error.key in self.skipped:  # the same manifest is met again by a second pass
            return
        self.skipped.append(error.key)
        print(f"newscrawl {self.command}: skipped damaged {error}", file=sys.stderr)

    def exit_code(self) -> int:
        """0, or EXIT_SKIPPED_DAMAGED after a closing count line when anything was skipped."""
        if not self.skipped:
            return 0
        count = len(self.skipped)
        print(
            f"newscrawl {self.command}: skipped {count} damaged object{'s' if count != 1 else ''}",
            file=sys.stderr,
        )
        return EXIT_SKIPPED_DAMAGED


def damaged_error(error: DamagedObject) -> CommandError:
    """The one line a damaged object gives without --skip-damaged."""
    return CommandError(f"{error}; pass --skip-damaged to read everything else and name what was skipped")


@contextmanager
def store_errors(store: Store) -> Iterator[Store]:
    """Closes `store` after a command's work, and turns what it raised into the command's one line:
    a damaged object (exit 1, pointing at --skip-damaged) or another storage failure (exit 1)."""
    try:
        yield store
    except DamagedObject as error:
        raise damaged_error(error) from None
    except StorageError as error:
        raise CommandError(str(error)) from None
    finally:
        store.close()
