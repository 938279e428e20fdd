"""Prometheus metrics, in a registry owned by one app (no process-global collectors).

A registry per app means two apps in one process (tests, or a future admin app) never share or
double-register counters.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    """The service's counters and histograms."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of this process
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "intake_http_requests",
            "HTTP requests by method, route template and status code",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "intake_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.orders_filed = Counter(
            "intake_orders_filed", "Work orders filed, by channel", ["channel"], registry=self.registry
        )
        self.intake_refused = Counter(
            "intake_refused",
            "Submissions not filed as orders (emergency hand-over, redirect to another channel)",
            ["kind"],
            registry=self.registry,
        )
        self.triage_latency = Histogram(
            "intake_triage_duration_seconds",
            "Time to triage one submission",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.triage_failures = Counter(
            "intake_triage_failures",
            "Submissions filed without triage because it failed",
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "intake_rate_limited", "Requests refused by a rate limit", ["bucket"], registry=self.registry
        )
        self.training_jobs = Counter(
            "intake_training_jobs", "Training jobs by outcome", ["outcome"], registry=self.registry
        )
        self.open_orders = Gauge(
            "intake_open_orders", "Open orders at the last queue read", registry=self.registry
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
