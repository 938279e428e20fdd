"""In-memory token-bucket rate limits for the public endpoints (chat, citizen filing, Open311, login).

Per process, which fits the single-process deployment `intake serve` runs; a multi-process
deployment would put the same limits in its reverse proxy.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """`limit` requests per `period` seconds per key, refilled continuously."""

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        *,
        max_keys: int = 50_000,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit <= 0:
            raise ValueError("a rate limit must allow at least one request")
        self.limit = limit
        self._rate = limit / period
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._max_keys = max_keys
        self._now = now
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Take one token for `key`: 0.0 when allowed, else the seconds to wait before retrying."""
        now = self._now()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + (now - last) * self._rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self._rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max_keys:  # forget the least recently seen clients
                self._buckets.popitem(last=False)
            return wait
