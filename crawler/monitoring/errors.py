"""The one error monitoring raises: a setting it cannot use, named with its fix."""

from __future__ import annotations


class MonitoringConfigError(ValueError):
    """Bad monitoring setting. The CLI, which sits above monitoring, maps it to one line and exit 2."""
