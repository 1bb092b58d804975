"""The one error monitoring raises: a setting it cannot use, named with its fix."""

from __future__ import annotations

from crawler.cli.errors import UsageError


class MonitoringConfigError(UsageError, ValueError):
    """Bad monitoring setting; a `UsageError`, so the CLI prints one line and exits 2."""
