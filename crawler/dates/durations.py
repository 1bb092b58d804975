"""Durations as people type them (`90m`, `2d`, `1w`) for --since and registry windows."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; write a number and a unit, e.g. 90m, 12h, 2d, 1w")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})
