"""Petitions (信访事项): a citizen who says they are petitioning gets the petition procedure.

12345 centres and petition offices share the intake. A message that says so (我要信访, 我要上访,
信访：…) is a petition matter: the 信访工作条例 (2022) gives it 60 days (Art. 34, extendable by 30)
instead of the hotline's 5 working days, and sorts it into one of three classes (Art. 15):

* 检举控告类 (accusation): it reports or accuses (检举, 控告, 举报, 揭发);
* 建议意见类 (suggestion): it proposes (建议, 意见, 呼吁) and states no grievance;
* 申诉求决类 (claim): everything else, a grievance the citizen wants resolved.

Only a stated wish counts: a message about a past petition (我去年信访过) is either a matter already in
the petition procedure (a redirect, see `classifiers.redirect`) or an ordinary complaint, and the
word 信访局 in a place name means nothing.
"""

from __future__ import annotations

import re

from workorders.enums import MatterType

VERSION = "petition_rules.v1"

#: 我要信访, 想去上访, 申请信访, or a message that opens with 信访 as its heading (信访：…).
_WISH = re.compile(
    r"(?:要|想|准备|打算|申请|决定|只能|只好)(?:去|到)?[^，。！？；]{0,6}?(?:信访|上访)(?!局|办|部门|窗口|大厅|过)"
    r"|^\s*(?:信访|上访)(?:事项|件|材料)?\s*[：:，,。]"
    r"|(?:写|递交|提交)(?:了)?(?:一封|一份)?信访(?:信|件|材料)"
)
_ACCUSATION = re.compile(r"检举|控告|举报|揭发|告发")
_SUGGESTION = re.compile(r"建议|提议|意见和建议|呼吁|倡议")
_GRIEVANCE = re.compile(
    r"不服|不公|不合理|违法|侵占|拖欠|没有落实|不落实|要求(?:赔偿|补偿|处理|解决|退还)|损失"
)


def is_petition(text: str) -> bool:
    """Whether the citizen says they are petitioning (信访/上访) with this message."""
    return bool(_WISH.search(text))


def petition_class(text: str) -> MatterType:
    """The class of a petition under 信访工作条例 Art. 15."""
    if _ACCUSATION.search(text):
        return MatterType.PETITION_ACCUSATION
    if _SUGGESTION.search(text) and not _GRIEVANCE.search(text):
        return MatterType.PETITION_SUGGESTION
    return MatterType.PETITION_CLAIM
