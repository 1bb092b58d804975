"""Typed drop reasons: Scrapy counts dropped items per exception class name, so one class per reason.

Extraction reports its reasons as `ExtractionDrop` subclasses (it imports no Scrapy); `drop_for`
turns each into a `DropItem` subclass of the same name.
"""

from __future__ import annotations

from functools import cache

from scrapy.exceptions import DropItem


class Unchanged(DropItem):
    """A re-checked article whose text has not changed since it was stored."""


@cache
def _drop_class(name: str) -> type[DropItem]:
    return type(name, (DropItem,), {"__doc__": f"Dropped by extraction: {name}."})


def drop_for(error: Exception) -> DropItem:
    return _drop_class(type(error).__name__)(str(error))
