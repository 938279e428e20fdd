from __future__ import annotations

from classifiers.text import clauses, compose, normalize, snippet, words


def test_normalize_folds_full_width_and_whitespace() -> None:
    assert normalize("  ＡＢＣ１２３\n\t停水 ") == "abc123 停水"
    assert normalize(None) == ""


def test_compose_joins_title_and_body_once() -> None:
    assert compose("停水", "小区停水三天") == "停水。小区停水三天"
    assert compose(None, "小区停水三天") == "小区停水三天"
    assert compose("小区停水", "小区停水三天了") == "小区停水三天了"
    assert compose("标题", None) == "标题"


def test_clauses_split_on_chinese_punctuation() -> None:
    assert clauses("上个月着火，现在停水。请处理！") == ["上个月着火", "现在停水", "请处理"]


def test_snippet_is_short_and_single_line() -> None:
    text = "很长的一段话\n" * 30
    out = snippet(text, 20)
    assert len(out) == 20 and "\n" not in out and out.endswith("…")


def test_words_drop_punctuation() -> None:
    tokens = words("小区停水了，请尽快处理！")
    assert "停水" in tokens and "，" not in tokens and "！" not in tokens
