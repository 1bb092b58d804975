"""One value of a frontier entry checked: each check returns the value, typed, or raises `RefusedEntry`
naming what was wrong (its `reason` goes into the stats key)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

# A request's own response cap (the registry's max_response_bytes, 50 MiB for feeds): 0 would lift
# Scrapy's cap altogether, and a queue writer must not be able to lift it far.
MAX_DOWNLOAD_MAXSIZE = 100 * 1024 * 1024


class RefusedEntry(ValueError):
    """A frontier entry that does not become a request; `reason` goes into the stats key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


Check = Callable[[str, Any], Any]


def string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not a string")
    return value


def count(name: str, value: Any) -> int:
    # bool is an int to Python, never a count here.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not a whole number >= 0")
    return value


def response_cap(name: str, value: Any) -> int:
    if not 1 <= count(name, value) <= MAX_DOWNLOAD_MAXSIZE:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not a size in [1, {MAX_DOWNLOAD_MAXSIZE}]")
    return int(value)


def seconds(name: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value < 86_400:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not seconds in [0, 1 day)")
    return float(value)


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not true or false")
    return value


def optional_string(name: str, value: Any) -> str | None:
    return None if value is None else string(name, value)


def list_of(check: Check) -> Check:
    def checked(name: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not a list")
        return [check(f"{name}[{i}]", item) for i, item in enumerate(value)]

    return checked


def string_or_count(name: str, value: Any) -> str | int:
    return string(name, value) if isinstance(value, str) else count(name, value)


def moment(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(string(name, value))
    except ValueError:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise RefusedEntry("bad_value", f"{name} is {value!r}, a time without a zone")
    return moment


def fields_of(name: str, value: Any, schema: dict[str, Check]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RefusedEntry("bad_value", f"{name} is {type(value).__name__}, not an object")
    unknown = sorted(repr(key) for key in value if key not in schema)  # repr: no raw newline reaches a log
    if unknown:
        raise RefusedEntry("unknown_field", f"{name} has {', '.join(unknown)[:200]}")
    return {key: schema[key](f"{name}.{key}", item) for key, item in value.items()}
