"""Fixtures for classifier tests: a registry with the demo models, trained once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def demo_models(tmp_path_factory: pytest.TempPathFactory, city_config) -> Path:  # type: ignore[no-untyped-def]
    """A model registry with the default heads trained from the shipped demo messages."""
    from training.bootstrap import ensure_default_models

    root = tmp_path_factory.mktemp("models")
    ensure_default_models(root, city_config)
    return root


@pytest.fixture(scope="session")
def chat_cases() -> list[dict]:
    """Short chat-style messages written for these tests (emergencies, hand-overs, redirects, and
    normal messages that use alarming words)."""
    lines = (DATA_DIR / "chat_cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
