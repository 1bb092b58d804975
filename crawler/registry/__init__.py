"""The source registry: outlets as data (TOML `[[source]]` tables), validated into frozen dataclasses.

`file` reads the registry file safely, `source` validates its entries into `Source`s, `fields` checks each field.
"""

from crawler.registry.file import MAX_REGISTRY_BYTES, RegistryError
from crawler.registry.source import MAX_ID_LENGTH, Source, default_registry_path, load_registry, parse_source

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_REGISTRY_BYTES",
    "RegistryError",
    "Source",
    "default_registry_path",
    "load_registry",
    "parse_source",
]
