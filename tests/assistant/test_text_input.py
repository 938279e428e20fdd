"""Cleaning and classifying raw chat input."""

from __future__ import annotations

import pytest

from assistant.text_input import InputProblem, clean_message, looks_foreign


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, InputProblem.EMPTY),
        ("   \n\t ", InputProblem.EMPTY),
        ("\x00\x07\x1b[0m", InputProblem.EMPTY),
        ("<script>alert(1)</script>", InputProblem.MARKUP_ONLY),
        ("<!-- x --><br/>", InputProblem.MARKUP_ONLY),
        ("😀🙏🏻👍", InputProblem.EMOJI_ONLY),
        ("！！？？", InputProblem.PUNCTUATION_ONLY),
        ("Hello, is anyone there?", InputProblem.FOREIGN),
        ("こんにちは、騒音の問題です", InputProblem.FOREIGN),
        ("a" * 5001, InputProblem.TOO_LONG),
        ("楼下太吵了", None),
        ("13812345678", None),
        ("ok", None),
        ("/affirm", None),
    ],
)
def test_problems(raw: str | None, problem: InputProblem | None) -> None:
    assert clean_message(raw, max_chars=5000).problem is problem


def test_markup_is_removed_and_text_kept() -> None:
    out = clean_message('<div onclick="x()">楼下<b>很吵</b></div><style>p{}</style>', max_chars=100)
    assert out.text == "楼下 很吵"
    assert out.removed_markup
    assert out.problem is None


def test_javascript_urls_are_defused() -> None:
    assert "javascript" not in clean_message("点这里 javascript:alert(1)", max_chars=100).text.lower()


def test_fullwidth_digits_fold_and_chinese_punctuation_stays() -> None:
    out = clean_message("电话：１３８１２３４５６７８，谢谢！", max_chars=100)
    assert out.text == "电话:13812345678，谢谢！"


def test_too_long_is_truncated_but_kept_for_the_emergency_check() -> None:
    out = clean_message("着火了" + "啊" * 30000, max_chars=5000)
    assert out.problem is InputProblem.TOO_LONG
    assert out.text.startswith("着火了") and len(out.text) == 5000
    assert out.original_length == 30003


def test_whitespace_is_collapsed() -> None:
    assert clean_message("楼下  很吵\n\n\n真的", max_chars=100).text == "楼下 很吵\n真的"


def test_urls_and_digits_are_not_a_foreign_language() -> None:
    assert not looks_foreign("https://img.example.cn/a.jpg")
    assert not looks_foreign("0531-88886666")
    assert looks_foreign("The streetlight is broken")
    assert not looks_foreign("楼下的KTV太吵了")
