"""Cleaning and classifying what a citizen typed, before any understanding is attempted.

Chat input arrives pasted from anywhere: full-width digits from a phone keyboard, zero-width and
bidi-override characters, HTML copied from a web page, a 20,000-character essay, a row of emoji.
This module turns it into plain text and says, in one field, what (if anything) makes the message
unusable, so the dialogue can answer politely instead of guessing or crashing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

#: Hard cap applied before any regex work, so a huge body cannot make cleaning itself slow.
_PRE_CAP = 200_000

_SCRIPT_BLOCK = re.compile(r"<\s*(script|style)\b[^>]*>.*?(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>")
_JS_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
#: Terminal escape sequences (colours, cursor moves) pasted from a console.
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z~]|\][^\x07]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")
#: Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) typed on Chinese keyboards.
_FULLWIDTH = {
    cp: cp - 0xFEE0
    for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for cp in range(r[0], r[1] + 1)
}
_FULLWIDTH.update({0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF1A: ord(":"), 0xFF0F: ord("/"), 0xFF0E: ord(".")})


class InputProblem(StrEnum):
    """Why a message cannot be used as it stands."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    EMOJI_ONLY = "emoji_only"
    PUNCTUATION_ONLY = "punctuation_only"
    MARKUP_ONLY = "markup_only"
    FOREIGN = "foreign_language"


@dataclass(frozen=True)
class CleanInput:
    """A cleaned message and what was found while cleaning it.

    Attributes:
        text: Plain text: no control or format characters, no HTML tags or scripts, whitespace
            collapsed, full-width ASCII letters and digits folded to ASCII.
        problem: Set when the message is empty, too long or not text we can read; ``FOREIGN`` is
            only a suspicion, and the dialogue may still accept such text as a slot answer
            (a name written in Latin letters, an e-mail-like reference).
        removed_markup: HTML or script was stripped.
        original_length: Length of the raw message in characters.
    """

    text: str
    problem: InputProblem | None
    removed_markup: bool
    original_length: int


def _is_emoji_or_symbol(ch: str) -> bool:
    if ch in "\u200d\ufe0e\ufe0f\u20e3":
        return True
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Sm", "Cs") or 0x1F000 <= ord(ch) <= 0x1FAFF


def _strip_controls(text: str) -> str:
    """Drop control (Cc) and format (Cf) characters except newlines and tabs.

    Format characters include zero-width joiners and bidi overrides (U+202E) that can make a text
    display differently from what is stored; emoji joiners go too, which is harmless for meaning.
    """
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Co", "Cn") and not (0x1F000 <= ord(ch) <= 0x1FAFF):
            continue
        out.append(ch)
    return "".join(out)


def clean_message(raw: str | None, *, max_chars: int) -> CleanInput:
    """Clean one chat message and classify it.

    Args:
        raw: What arrived, possibly ``None``.
        max_chars: Longest message accepted after cleaning; longer ones get ``TOO_LONG`` (the text is
            still returned, truncated, so an emergency in it can still be recognised).
    """
    raw = raw or ""
    original_length = len(raw)
    text = raw[:_PRE_CAP].replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_controls(_ANSI.sub("", text))
    stripped = _COMMENT.sub(" ", _SCRIPT_BLOCK.sub(" ", text))
    stripped = _TAG.sub(" ", stripped)
    stripped = _JS_URL.sub("", stripped)
    removed_markup = stripped != text
    text = stripped.translate(_FULLWIDTH)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text).strip()

    problem: InputProblem | None = None
    if not text:
        problem = InputProblem.MARKUP_ONLY if removed_markup else InputProblem.EMPTY
    elif len(text) > max_chars:
        problem = InputProblem.TOO_LONG
        text = text[:max_chars]
    elif all(ch.isspace() or unicodedata.category(ch).startswith("P") for ch in text):
        problem = InputProblem.PUNCTUATION_ONLY  # ？ or …… : a reaction, not a picture; ask for more
    elif all(
        _is_emoji_or_symbol(ch) or ch.isspace() or unicodedata.category(ch).startswith("P") for ch in text
    ):
        problem = InputProblem.EMOJI_ONLY
    elif looks_foreign(text):
        problem = InputProblem.FOREIGN
    return CleanInput(
        text=text, problem=problem, removed_markup=removed_markup, original_length=original_length
    )


def looks_foreign(text: str) -> bool:
    """True when the text is written in a language other than Chinese.

    Digits, URLs and slash commands are not language; a message counts as foreign only when it
    has at least three letters of another script and no more Chinese characters than those letters
    (Japanese kana and Korean hangul count as another script even beside kanji).
    """
    if text.startswith("/"):
        return False
    without_urls = re.sub(r"https?://\S+", " ", text)
    han = len(_HAN.findall(without_urls))
    kana_hangul = len(_KANA_HANGUL.findall(without_urls))
    if kana_hangul >= 2 and kana_hangul >= han / 3:
        return True
    other_letters = sum(1 for ch in without_urls if ch.isalpha() and not _HAN.match(ch))
    return han == 0 and other_letters >= 3
