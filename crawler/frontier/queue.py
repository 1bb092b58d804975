"""A scrapy-redis priority queue whose pops are leases: a request popped by a worker stays in that
worker's in-flight set until the worker's run is committed, so a worker killed mid-crawl loses
nothing: its in-flight requests go back to the queue once its heartbeat expires.
"""

from __future__ import annotations

from typing import Any

from scrapy_redis.queue import PriorityQueue

# Atomically move the best request from the queue to the worker's in-flight set, keeping its score.
_POP = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #popped == 0 then return nil end
redis.call('ZREM', KEYS[1], popped[1])
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
        super().__init__(server, spider, key, serializer)
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

    def pop(self, timeout: int = 0) -> Any:
        data = self._pop(keys=[self.key, self.inflight_key(self.worker_id)])
        return self._decode_request(data) if data else None

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
