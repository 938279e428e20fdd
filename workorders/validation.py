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


#: 18-character resident ID numbers (and the old 15-digit form), not inside a longer digit run.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
#: Mainland mobiles, optionally with +86 and separators: 138 1234 5678, +86-13812345678.
MOBILE_RE = re.compile(r"(?<![\d])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
#: Landlines: 0xx/0xxx area code, then 7-8 digits, optionally separated.
LANDLINE_RE = re.compile(r"(?<![\d\-])0\d{2,3}[- ]?\d{7,8}(?!\d)")


def mask_personal_data(text: str) -> str:
    """`text` with every ID number, mobile and landline number masked.

    Lives here, next to `mask_phone`, so that the work-order layer (titles, citizen views) and the
    logs (`serving.logs`) mask with the same patterns: a number hidden in one place must not show
    in another.
    """
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0).upper()), text)
    text = MOBILE_RE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))[-11:]), text)
    return LANDLINE_RE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), text)


def has_personal_data(text: str) -> bool:
    """Whether `text` contains an ID number or a phone number."""
    return any(p.search(text) for p in (ID_NUMBER_RE, MOBILE_RE, LANDLINE_RE))


#: Clauses that introduce the citizen rather than the matter (我叫…, 电话…, 身份证号…).
_CONTACT_CLAUSE = re.compile(
    r"^(?:您好|你好)?[，,\s]*(?:我(?:的名字)?(?:叫|是|姓)|本人(?:叫|是|姓)|姓名|名字|联系(?:人|电话|方式)|"
    r"(?:我的)?(?:手机|电话|身份证|证件)(?:号码?|是)?)"
)
_CLAUSE_SPLIT = re.compile(r"[，。！？；,.!?;\n]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
TITLE_LENGTH = 30


def _is_personal_clause(clause: str) -> bool:
    return has_personal_data(clause) or bool(_CONTACT_CLAUSE.match(clause))


def derive_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A short title from complaint text: the first clause that says what the matter is.

    Clauses that only introduce the citizen (name, phone, ID number) are skipped, so a message that
    opens with 「我叫…，电话…，身份证号…」 is titled by the matter, not by personal data that the
    queue would show to every operator.
    """
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip(" 　…")
        if len(_HAN.findall(clause)) >= 4 and not _is_personal_clause(clause):
            return clause[:limit]
    fallback = " ".join(c.strip() for c in _CLAUSE_SPLIT.split(text) if not _is_personal_clause(c.strip()))
    return mask_personal_data(fallback.strip())[:limit]


def order_title(title: str | None, text: str, limit: int = 200) -> str:
    """The title to store or show: the given one without personal data, else one derived from `text`.

    Titles come from many places (the chat assistant, the citizen form, operators, Open311) and are
    shown in the operator queue and to the citizen; whatever the source, a title never consists of
    a name, phone or ID number. A title with personal data keeps only its other clauses; when none
    is left (or none was given) the title is derived from the complaint text.
    """
    title = (title or "").strip()
    if title and (has_personal_data(title) or _CONTACT_CLAUSE.match(title)):
        kept = [
            c.strip() for c in _CLAUSE_SPLIT.split(title) if c.strip() and not _is_personal_clause(c.strip())
        ]
        title = "，".join(kept)
        if len(_HAN.findall(title)) < 2:
            title = ""
    if not title:
        title = derive_title(text)
    return mask_personal_data(title)[:limit]
