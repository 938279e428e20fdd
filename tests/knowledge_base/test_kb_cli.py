from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from knowledge_base.cli import register


def _root() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """Throwaway root app standing in for `intake`."""

    register(root)
    return root


def test_build_search_add(tmp_path: Path, sample_guide: str) -> None:
    runner = CliRunner()
    root = _root()
    target = tmp_path / "kb"
    result = runner.invoke(root, ["kb", "build", "--demo", "--dir", str(target), "--embedder", "hashing.v1"])
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and (target / "manifest.json").is_file()

    result = runner.invoke(root, ["kb", "search", "工资被拖欠", "--dir", str(target), "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and {"score", "snippet", "citation", "reply"} <= set(hits[0])

    result = runner.invoke(
        root, ["kb", "search", "工资被拖欠", "--dir", str(target), "--kind", "regulation", "--json"]
    )
    hits = json.loads(result.stdout)
    assert hits and all(h["kind"] == "regulation" and h["citation"].startswith("《") for h in hits)

    guide = tmp_path / "rules"
    guide.mkdir()
    (guide / "test.md").write_text(sample_guide, encoding="utf-8")
    result = runner.invoke(root, ["kb", "add", "--regulations", str(guide), "--dir", str(target)])
    assert result.exit_code == 0, result.output
    assert "added 5" in result.output

    result = runner.invoke(root, ["kb", "info", "--dir", str(target)])
    assert json.loads(result.stdout)["counts"]["regulation"] >= 5


def test_search_without_index_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(_root(), ["kb", "search", "x", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "kb build" in result.output


def test_bad_kind_is_rejected(tmp_path: Path) -> None:
    result = CliRunner().invoke(_root(), ["kb", "search", "x", "--kind", "law", "--dir", str(tmp_path)])
    assert result.exit_code != 0
