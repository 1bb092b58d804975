"""The frontier's wire format: each request one JSON object, checked against `schema` when it is read.

Set as scrapy-redis's SCHEDULER_SERIALIZER in place of its default, pickle, which runs whatever code an
entry names: anyone who could write to Redis could run code in every worker.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from crawler.frontier.checks import RefusedEntry
from crawler.frontier.schema import check_entry, encode_meta

VERSION = 1
# A newscrawl request is well under 4 KiB (URL, headers, what the feed said about the article).
MAX_ENTRY_BYTES = 64 * 1024


def dumps(request: dict[str, Any]) -> bytes:
    """Scrapy's `request_to_dict` → entry bytes; RefusedEntry if no worker would accept the entry."""
    if request.get("cookies") or request.get("encoding", "utf-8") != "utf-8" or "_class" in request:
        raise RefusedEntry("unknown_field", "cookies, an encoding other than utf-8, or a Request subclass")
    entry = {
        "v": VERSION,
        "url": request["url"],
        "method": request["method"],
        # Latin-1 maps each byte to one character and back: any header bytes survive the trip.
        "headers": {
            name.decode("latin-1"): [value.decode("latin-1") for value in values]
            for name, values in request["headers"].items()
        },
        "body": base64.b64encode(request["body"]).decode("ascii"),
        **{key: request[key] for key in ("callback", "errback", "priority", "dont_filter", "cb_kwargs")},
        "flags": list(request["flags"]),
        "meta": encode_meta(request["meta"]),
    }
    try:
        data = json.dumps(entry, separators=(",", ":"), allow_nan=False).encode("ascii")
    except (TypeError, ValueError) as error:
        raise RefusedEntry("bad_value", f"not JSON: {error}") from None
    loads(data)  # the reader's own check: what this worker could not read back, no worker should get
    return data


def loads(data: bytes) -> dict[str, Any]:
    """Entry bytes → a dict for Scrapy's `request_from_dict`; RefusedEntry names what was wrong."""
    if len(data) > MAX_ENTRY_BYTES:
        raise RefusedEntry("oversized", f"{len(data)} bytes, more than {MAX_ENTRY_BYTES}")
    if _looks_like_pickle(data):
        raise RefusedEntry("pickle", f"a pickle ({len(data)} bytes, starting {data[:24]!r}); not unpickled")
    try:
        entry = json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise RefusedEntry("malformed", f"not JSON ({len(data)} bytes, starting {data[:24]!r})") from None
    if not isinstance(entry, dict) or entry.pop("v", None) != VERSION:
        raise RefusedEntry("malformed", f"not a version-{VERSION} frontier entry")
    return check_entry(entry)


def _looks_like_pickle(data: bytes) -> bool:
    # Protocols 2 and above open with PROTO (0x80); every pickle ends with STOP (".").
    return data[:1] == b"\x80" or (data.rstrip().endswith(b".") and not data.lstrip().startswith(b"{"))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")
