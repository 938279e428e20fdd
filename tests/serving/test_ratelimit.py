"""Token-bucket rate limiter."""

from __future__ import annotations

import pytest

from serving.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_allows_the_limit_then_refuses_then_refills() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60, now=clock)
    assert [limiter.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.hit("a")
    assert wait == pytest.approx(20.0)
    assert limiter.hit("b") == 0.0  # other clients are not affected
    clock.t += 20.0
    assert limiter.hit("a") == 0.0


def test_forgets_least_recent_clients_beyond_max_keys() -> None:
    limiter = RateLimiter(1, 60, max_keys=2, now=Clock())
    limiter.hit("a")
    limiter.hit("b")
    limiter.hit("c")  # evicts "a"
    assert limiter.hit("a") == 0.0
    assert limiter.hit("c") > 0


def test_rejects_zero_limit() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
