"""newscrawl's storage layer: write-once runs into a file:// or s3:// store, and the reader API.

Plain library: imports neither Scrapy nor the rest of `crawler`. Layout: the README's "Bucket layout".
"""

from crawler.storage.base import Store
from crawler.storage.errors import (
    BadRecord,
    ChecksumMismatch,
    DamagedObject,
    ObjectConflict,
    ObjectNotFound,
    StorageError,
    StoreUnavailable,
    UnsafeKeyError,
)
from crawler.storage.reader import Reader
from crawler.storage.records import RawResponse
from crawler.storage.uri import open_store
from crawler.storage.writer import RunWriter

__all__ = [
    "BadRecord",
    "ChecksumMismatch",
    "DamagedObject",
    "ObjectConflict",
    "ObjectNotFound",
    "RawResponse",
    "Reader",
    "RunWriter",
    "StorageError",
    "Store",
    "StoreUnavailable",
    "UnsafeKeyError",
    "open_store",
]
