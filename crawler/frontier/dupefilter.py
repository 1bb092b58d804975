"""scrapy-redis's persistent seen-set, with room for an article's due re-fetches.

The Redis seen-set outlives runs, so on its own it refuses every URL a worker ever fetched, and an
article announced as updated, or due for its recheck (registry `recheck_window`), was never fetched
again. The spider marks such a request with the seen-store's token for the occasion
(`REFETCH_META`: "updated:<time>", "recheck:<interval number>"); the token joins the fingerprint, so
the occasion passes once, whichever worker meets it first, and the next occasion passes again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.frontier.seen import REFETCH_META


class RefetchAwareDupeFilter(RFPDupeFilter):
    def request_fingerprint(self, request: Any) -> str:
        fingerprint: str = super().request_fingerprint(request)
        token = request.meta.get(REFETCH_META)
        if not token:
            return fingerprint
        return hashlib.sha1(f"{fingerprint}|{token}".encode()).hexdigest()
