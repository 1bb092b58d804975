"""A scrapy-redis priority queue whose pops are leases: a request popped by a worker stays in that
worker's in-flight set until the worker's run is committed, so a worker killed mid-crawl loses
nothing: its in-flight requests go back to the queue once its heartbeat expires.

Entries are JSON (crawler.frontier.serializer), checked when popped: one that fails the check is
never run; it is logged, counted (`frontier/refused_<reason>_count`) and kept in `<key>:refused`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.http import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import PriorityQueue

from crawler.frontier import serializer as entry_format
from crawler.frontier.checks import RefusedEntry

logger = logging.getLogger(__name__)

# Refused entries kept for a look (newest first); a pop skips at most this many before it yields.
REFUSED_KEPT = 100
MAX_REFUSED_PER_POP = 100

# Atomically move the best request from the queue to the worker's in-flight set, keeping its score.
# An entry over ARGV[1] bytes is dropped instead and only its size returned: it never leaves Redis.
_POP = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #popped == 0 then return nil end
redis.call('ZREM', KEYS[1], popped[1])
if string.len(popped[1]) > tonumber(ARGV[1]) then return string.len(popped[1]) end
redis.call('ZADD', KEYS[2], popped[2], popped[1])
return popped[1]
"""

# Move every in-flight request of a worker back to the queue, then forget the worker.
_REQUEUE = """
local members = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do
  redis.call('ZADD', KEYS[1], members[i + 1], members[i])
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return #members / 2
"""


class LeasedPriorityQueue(PriorityQueue):
    """Keys: `<key>` (queue), `<key>:inflight:<worker>`, `<key>:alive:<worker>`, `<key>:workers`,
    `<key>:idle` (workers with nothing to do, waiting for the crawl to end)."""

    worker_id: str = "worker"

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        if serializer not in (None, entry_format):
            raise ValueError(
                f"SCHEDULER_SERIALIZER {serializer!r}: the frontier takes only crawler.frontier.serializer "
                "(JSON, checked); pickle would run any code written to Redis"
            )
        super().__init__(server, spider, key, entry_format)
        self.stats = spider.crawler.stats
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)

    def bind(self, worker_id: str, heartbeat_ttl: int) -> None:
        self.worker_id = worker_id
        self.server.sadd(self.workers_key, worker_id)
        self.heartbeat(heartbeat_ttl)

    @property
    def workers_key(self) -> str:
        return f"{self.key}:workers"

    @property
    def idle_key(self) -> str:
        return f"{self.key}:idle"

    def inflight_key(self, worker_id: str) -> str:
        return f"{self.key}:inflight:{worker_id}"

    def alive_key(self, worker_id: str) -> str:
        return f"{self.key}:alive:{worker_id}"

    def heartbeat(self, ttl: int) -> None:
        self.server.set(self.alive_key(self.worker_id), 1, ex=ttl)

    @property
    def refused_key(self) -> str:
        return f"{self.key}:refused"

    def push(self, request: Request) -> bool:
        """Queue `request`; False if it is not one a worker would accept (a gap in the schema)."""
        try:
            data = self._encode_request(request)
        except RefusedEntry as refused:
            self.stats.inc_value(f"frontier/unshareable_{refused.reason}_count")
            logger.error("frontier: cannot queue %s (%s); it is not crawled", request.url, refused)
            return False
        self.server.execute_command("ZADD", self.key, -request.priority, data)
        return True

    def pop(self, timeout: int = 0) -> Request | None:
        for _ in range(MAX_REFUSED_PER_POP):
            data = self._pop(
                keys=[self.key, self.inflight_key(self.worker_id)], args=[entry_format.MAX_ENTRY_BYTES]
            )
            if data is None:
                return None
            if isinstance(data, int):
                self._refused(
                    RefusedEntry(
                        "oversized", f"{data} bytes, more than {entry_format.MAX_ENTRY_BYTES}; dropped"
                    )
                )
                continue
            try:
                return self._decode_request(data)
            except RefusedEntry as refused:
                self._set_aside(data)
                self._refused(refused)
        return None

    def _decode_request(self, encoded_request: bytes) -> Request:
        fields = entry_format.loads(encoded_request)
        for name in (fields["callback"], fields["errback"]):
            if name is not None and not callable(getattr(type(self.spider), name, None)):
                raise RefusedEntry(
                    "unknown_callback", f"{name!r} is not a method of {type(self.spider).__name__}"
                )
        try:
            return request_from_dict(fields, spider=self.spider)
        # The schema passed it, but Request has checks of its own (URL syntax); a refusal, not a crash.
        except (TypeError, ValueError) as error:
            raise RefusedEntry("bad_value", repr(str(error)[:200])) from None

    def _set_aside(self, data: bytes) -> None:
        pipe = self.server.pipeline()
        pipe.zrem(self.inflight_key(self.worker_id), data)
        pipe.lpush(self.refused_key, data)
        pipe.ltrim(self.refused_key, 0, REFUSED_KEPT - 1)
        pipe.execute()

    def _refused(self, refused: RefusedEntry) -> None:
        self.stats.inc_value(f"frontier/refused_{refused.reason}_count")
        logger.warning("frontier: refused an entry of %s, not run: %s", self.key, refused)

    def set_idle(self, idle: bool) -> None:
        if idle:
            self.server.sadd(self.idle_key, self.worker_id)
        else:
            self.server.srem(self.idle_key, self.worker_id)

    def others_busy(self) -> bool:
        """Another live worker is still crawling, so it may yet add requests (or die and leave some)."""
        idle = {w.decode() if isinstance(w, bytes) else w for w in self.server.smembers(self.idle_key)}
        return any(w != self.worker_id and w not in idle for w in self._workers())

    def reclaim_dead(self) -> int:
        """Return the in-flight requests of workers whose heartbeat expired to the queue."""
        reclaimed = 0
        for worker in self._workers():
            if worker != self.worker_id and not self.server.exists(self.alive_key(worker)):
                keys = [self.key, self.inflight_key(worker), self.workers_key, self.idle_key]
                reclaimed += int(self._requeue(keys=keys, args=[worker]))
        return reclaimed

    def ack_all(self) -> int:
        """The run is committed: this worker's in-flight requests are done."""
        done = int(self.server.zcard(self.inflight_key(self.worker_id)))
        self.server.delete(self.inflight_key(self.worker_id), self.alive_key(self.worker_id))
        self.server.srem(self.workers_key, self.worker_id)
        self.server.srem(self.idle_key, self.worker_id)
        return done

    def _workers(self) -> list[str]:
        return [w.decode() if isinstance(w, bytes) else w for w in self.server.smembers(self.workers_key)]
