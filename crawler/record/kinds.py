"""The vocabulary the record type is written in: `Field` (a field's description and constraints),
`Ref` (a shared definition), and the value kinds every part of the record reuses.
"""

from dataclasses import dataclass
from typing import Annotated, Literal


@dataclass(frozen=True)
class Field:
    """What a JSON Schema, a Parquet column and the README say about one field beyond its Python type.

    `filled_by` names the stage that sets a top-level field (the README's table shows it);
    `parquet` names a column type other than the one the Python type maps to."""

    description: str | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    filled_by: str | None = None
    parquet: Literal["int32", "string", "timestamp"] | None = None


@dataclass(frozen=True)
class Ref:
    """A kind written once under the JSON Schema's `$defs` (its constraints in `field`) and referred
    to by name; a `Field` beside it describes the place it is used."""

    name: str
    field: Field = Field()


HTTP_URL = "^https?://"
HttpUrl = Annotated[str, Field(pattern=HTTP_URL)]
Names = list[Annotated[str, Field(min_length=1)]]
# Parquet stores these as timestamp[us, UTC] columns; a value that does not parse keeps its text in
# the catch-all `extra` column.
UtcTime = Annotated[
    str | None,
    Ref(
        "utc_datetime",
        Field(
            "ISO 8601, normalised to UTC, seconds precision",
            pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$",
        ),
    ),
    Field(parquet="timestamp"),
]
DateSource = Annotated[
    Literal["jsonld", "meta", "url", "sitemap", "feed", "text", "revision"], Ref("date_source")
]
DateField = Literal["published", "updated"]
