"""Reading the record type: each TypedDict's keys in order, and one annotation taken apart."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, NotRequired, Required, is_typeddict

from crawler.record.kinds import Field, Ref


@dataclass(frozen=True)
class Kind:
    """An annotation taken apart: the bare type, the shared definition it names, what the Fields say."""

    base: Any
    ref: Ref | None
    field: Field


@dataclass(frozen=True)
class Key:
    name: str
    kind: Kind
    required: bool


def keys(typed_dict: type) -> list[Key]:
    """The keys of a TypedDict in the order they are written, with what each annotation says."""
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    total = typed_dict.__required_keys__  # type: ignore[attr-defined]
    return [Key(name, kind_of(hint), _required(hint, name in total)) for name, hint in hints.items()]


def _required(hint: Any, by_totality: bool) -> bool:
    """Python 3.11 misses `NotRequired` in a string annotation (`from __future__ import annotations`)
    when it sets `__required_keys__`; the evaluated hint still says it."""
    origin = typing.get_origin(hint)
    return origin is Required or (by_totality and origin is not NotRequired)


def kind_of(hint: Any) -> Kind:
    while typing.get_origin(hint) in (NotRequired, Required):
        hint = typing.get_args(hint)[0]
    ref = None
    merged = Field()
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        for item in metadata:
            if isinstance(item, Ref):
                ref = item
            elif isinstance(item, Field):
                merged = _merge(merged, item)
        hint = base
    return Kind(hint, ref, merged)


def _merge(first: Field, second: Field) -> Field:
    """`second` over `first`: the outer Annotated (the place a kind is used) has the last word."""
    changes = {
        name.name: getattr(second, name.name)
        for name in dataclasses.fields(second)
        if getattr(second, name.name) is not None
    }
    return dataclasses.replace(first, **changes)


def members(hint: Any) -> tuple[list[Any], bool]:
    """A union's members other than None, and whether None is one of them."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        return [arg for arg in args if arg is not type(None)], type(None) in args
    return [hint], False


def is_record(hint: Any) -> bool:
    return isinstance(hint, type) and is_typeddict(hint)
