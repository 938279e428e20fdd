"""Validation and normalisation of citizen identifiers (phone numbers, ID numbers).

Numbers arrive typed by hand, read out over the phone or pasted from a chat; they are normalised to
one form so that repeat detection ("same phone") compares like with like.
"""

from __future__ import annotations

import re

from workorders.errors import ValidationError

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
#: area code (010 and 02x have three digits, all others four), then a 7- or 8-digit local number,
#: optionally an extension
_LANDLINE = re.compile(r"^(010|02\d|0[3-9]\d{2})(\d{7,8})(?:(?:转|ext|#)(\d{1,6}))?$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(raw: str) -> str:
    """Return a mainland mobile (``13812345678``) or landline (``0531-88886666``) number.

    Raises:
        ValidationError: the text is not a mainland mobile or landline number.
    """
    text = _SEPARATORS.sub("", raw.strip())
    text = re.sub(r"^(?:\+86|0086|86(?=1[3-9]\d{9}$))", "", text)
    if _MOBILE.match(text):
        return text
    m = _LANDLINE.match(text)
    if m:
        area, local, ext = m.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise ValidationError(f"malformed phone number {raw!r}: expected a mainland mobile or landline number")


def validate_id_number(raw: str) -> str:
    """Check an 18-character resident ID number (GB 11643) including its check digit."""
    text = raw.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValidationError("malformed ID number: expected 17 digits and a check digit")
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != text[17]:
        raise ValidationError("ID number check digit does not match")
    return text


def mask_phone(phone: str) -> str:
    """Mask a phone number for logs and public views: ``138****5678``."""
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(id_number: str) -> str:
    """Mask an ID number, keeping region and last digit: ``110105**********1X`` style."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 8) + id_number[-2:]
