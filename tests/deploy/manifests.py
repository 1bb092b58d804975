"""Readers for the deployment recipes: YAML manifests, systemd units, the Dockerfile, CLI arguments."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def load_yaml(relative: str) -> dict[str, Any]:
    with open(DEPLOY / relative, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def flag(args: list[str], name: str) -> str | None:
    """The value of `--name=value` or `--name value` in an argument list, else None."""
    for index, arg in enumerate(args):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name:
            return args[index + 1]
    return None


def systemd_unit(relative: str) -> dict[str, dict[str, list[str]]]:
    """{section: {key: [values]}}; keys may repeat in systemd units, so every value is kept."""
    unit: dict[str, dict[str, list[str]]] = {}
    section = None
    for raw in (DEPLOY / relative).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = unit.setdefault(line[1:-1], {})
            continue
        assert section is not None and "=" in line, f"{relative}: not a unit line: {raw!r}"
        key, value = line.split("=", 1)
        section.setdefault(key.strip(), []).append(value.strip())
    return unit


def dockerfile(relative: str = "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (DEPLOY / relative).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def exec_form(arguments: str) -> list[str]:
    """A JSON-array (exec form) instruction argument, or an AssertionError for the shell form."""
    parsed = json.loads(arguments)
    assert isinstance(parsed, list), f"not exec form: {arguments}"
    return parsed


def split_command(line: str) -> list[str]:
    return shlex.split(line)


def cron_period_seconds(schedule: str) -> int:
    """The period of the simple cron schedules we use: "M * * * *" hourly, "M H * * *" daily, "*/N ..."."""
    minute, hour, day, month, weekday = schedule.split()
    assert (day, month, weekday) == ("*", "*", "*"), f"unsupported schedule {schedule!r}"
    if minute.startswith("*/") and hour == "*":
        return int(minute[2:]) * 60
    assert minute.isdigit(), f"unsupported schedule {schedule!r}"
    if hour == "*":
        return 3600
    if hour.startswith("*/"):
        return int(hour[2:]) * 3600
    assert hour.isdigit(), f"unsupported schedule {schedule!r}"
    return 86400
