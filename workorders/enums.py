"""Closed vocabularies of the work-order domain.

They are `StrEnum`s so that values are stored, serialised and logged as plain, readable strings
(``"dispatched"`` rather than ``3``), which keeps the database and the API self-explanatory.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Workflow state of a work order (工单状态).

    Delivery details (who signed for it, which unit holds it) live in events and assignment
    columns, not here: this is only where the order stands in the lifecycle.
    """

    ACCEPTED = "accepted"  # 已受理: filed, waiting for dispatch
    DISPATCHED = "dispatched"  # 已派单: sent to the lead department
    SIGNED_FOR = "signed_for"  # 已签收: the department acknowledged it
    IN_HANDLING = "in_handling"  # 办理中
    RETURNED = "returned"  # 已退单: the department says it is not theirs; awaits re-dispatch
    REPLIED = "replied"  # 已答复: the department replied; awaits callback (回访)
    RATED = "rated"  # 已回访: the citizen rated the handling
    CLOSED = "closed"  # 已办结
    WITHDRAWN = "withdrawn"  # 已撤单: withdrawn by the citizen


#: States in which the order is finished and accepts no further workflow actions.
TERMINAL_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN})

#: States in which a department is responsible for the order (its deadline is running).
OPEN_STATUSES = frozenset(
    {
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.SIGNED_FOR,
        Status.IN_HANDLING,
        Status.RETURNED,
        Status.REPLIED,
        Status.RATED,
    }
)


#: The operator queue: the open states, in the order of `Status`.
QUEUE_STATUSES = [s for s in Status if s in OPEN_STATUSES]

#: States in which a repeat call can still be linked to the order (并单): the department has not
#: replied yet. After the reply the matter occurring again is a new order (knowledge_base.repeats).
REPEAT_LINKABLE_STATUSES = OPEN_STATUSES - {Status.REPLIED, Status.RATED}


class Channel(StrEnum):
    """How the matter reached the centre (来源渠道)."""

    WEB_CHAT = "web_chat"
    PHONE = "phone"
    APP = "app"
    WECHAT = "wechat"
    MESSAGE_BOARD = "message_board"
    OPEN311 = "open311"
    API = "api"


class UrgencyTier(StrEnum):
    """Urgency tiers of the rubric; each maps to a deadline rule in the city config."""

    EMERGENCY = "emergency"  # hand over to 110/119/120/122; never a 12345 order
    URGENT = "urgent"  # about 2 hours
    EXPEDITED = "expedited"  # 24 hours (water, power, gas, heating cut off)
    NORMAL = "normal"  # 5 working days
    PETITION = "petition"  # 信访事项: 60 days, extension at most 30 (信访工作条例 Art. 34)


class MatterType(StrEnum):
    """Kind of matter (诉求类型); the last three are the petition classes of 信访工作条例 Art. 15."""

    CONSULTATION = "consultation"  # 咨询
    HELP_REQUEST = "help_request"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬
    PETITION_SUGGESTION = "petition_suggestion"  # 建议意见类
    PETITION_ACCUSATION = "petition_accusation"  # 检举控告类
    PETITION_CLAIM = "petition_claim"  # 申诉求决类


#: The petition classes of 信访工作条例 Art. 15: a matter of one of them runs on the petition deadline.
PETITION_MATTER_TYPES = frozenset(
    {MatterType.PETITION_SUGGESTION, MatterType.PETITION_ACCUSATION, MatterType.PETITION_CLAIM}
)


class RedirectKind(StrEnum):
    """Matters 12345 does not accept, and where they belong (潍坊条例 Art. 19, 信访工作条例 Art. 22)."""

    LITIGATION = "litigation"  # 诉讼: already before, or belonging to, a court
    ARBITRATION = "arbitration"  # 仲裁 (labour or commercial)
    ADMINISTRATIVE_RECONSIDERATION = "administrative_reconsideration"  # 行政复议
    DISCIPLINE_INSPECTION = "discipline_inspection"  # 纪检监察: accusations against officials
    INFORMATION_DISCLOSURE = "information_disclosure"  # 政府信息公开申请
    LAWFULLY_CONCLUDED = "lawfully_concluded"  # 已依法处理且有合法合理结论
    PETITION_PROCEDURE = "petition_procedure"  # 已经进入信访程序


class EventKind(StrEnum):
    """Everything that can happen to an order; each one is an immutable event in its log."""

    FILED = "filed"
    DISPATCH = "dispatch"
    SIGN_FOR = "sign_for"
    START_HANDLING = "start_handling"
    RETURN = "return"  # 退单
    REASSIGN = "reassign"  # 改派
    SUPPLEMENT = "supplement"  # 补单 / 补充材料
    WITHDRAW = "withdraw"  # 撤单
    CHASE = "chase"  # 催单
    EXTEND = "extend"  # 延期
    SUPERVISE = "supervise"  # 督办
    REPLY = "reply"  # 答复
    RATE = "rate"  # 回访评价
    REWORK = "rework"  # 重办: citizen unsatisfied
    CLOSE = "close"  # 办结
    LINK_REPEAT = "link_repeat"  # 并单: a repeat complaint was linked to this order
    RECLASSIFY = "reclassify"  # routing accepted or overridden by an operator
    DEADLINE_FALLBACK = "deadline_fallback"  # the holiday calendar did not know the year
