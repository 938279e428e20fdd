"""Chinese labels of the work-order vocabulary, for staff and for citizens.

The console, the Open311 feed and the daily report all name an order's status the same way, in the
terms hotline staff use (已派单, 已退单, 已回访…). Citizens are told the same statuses in their own
words (`CITIZEN_STATUS_LABELS`: 已答复，等待您评价), in the chat and on their order page alike.
Keeping both tables here, next to `Status`, stops those places from drifting apart.
"""

from __future__ import annotations

from workorders.enums import Channel, Status

#: Citizen wording of each status (the chat and the citizen's order page).
CITIZEN_STATUS_LABELS: dict[Status, str] = {
    Status.ACCEPTED: "已受理，等待派单",
    Status.DISPATCHED: "已派发给承办单位",
    Status.SIGNED_FOR: "承办单位已签收",
    Status.IN_HANDLING: "办理中",
    Status.RETURNED: "正在重新派单",
    Status.REPLIED: "已答复，等待您评价",
    Status.RATED: "已评价",
    Status.CLOSED: "已办结",
    Status.WITHDRAWN: "已撤单",
}

#: Staff wording of each status. Keyed by `Status`, a `StrEnum`, so a plain stored value such as
#: ``"dispatched"`` finds its label too.
STATUS_LABELS: dict[Status, str] = {
    Status.ACCEPTED: "已受理",
    Status.DISPATCHED: "已派单",
    Status.SIGNED_FOR: "已签收",
    Status.IN_HANDLING: "办理中",
    Status.RETURNED: "已退单",
    Status.REPLIED: "已答复",
    Status.RATED: "已回访",
    Status.CLOSED: "已办结",
    Status.WITHDRAWN: "已撤单",
}


#: Staff wording of each intake channel (来源渠道), shown on the order page and in the daily report.
CHANNEL_LABELS: dict[str, str] = {
    Channel.WEB_CHAT.value: "网上对话",
    Channel.PHONE.value: "电话",
    Channel.APP.value: "手机App",
    Channel.WECHAT.value: "微信",
    Channel.MESSAGE_BOARD.value: "留言板",
    Channel.OPEN311.value: "Open311",
    Channel.API.value: "接口",
}

#: How the event log names who acted, by actor role; a staff member is named by their user name.
ROLE_ACTOR_LABELS: dict[str, str] = {
    "citizen": "市民",
    "system": "系统",
}
#: The channel a citizen actor acted through, by the prefix of the recorded actor id.
_CITIZEN_ACTOR_CHANNELS = {
    "chat": "在线咨询",
    "rasa": "在线咨询",
    "citizen": "网页表单",
    "open311": "Open311",
}


def channel_label(channel: Channel | str) -> str:
    """The staff label of an intake channel, or the raw value when it is unknown."""
    return CHANNEL_LABELS.get(str(channel), str(channel))


def actor_label(actor: str, actor_role: str) -> str:
    """Who acted, in staff terms: 市民（在线咨询）, 系统, or the staff member's user name.

    Citizen actors are recorded as ``chat:<session id>`` or ``citizen:<id prefix>``; those ids mean
    nothing to an operator and are pseudonymous identifiers of a citizen, so pages show the role
    and the channel instead.
    """
    if actor_role == "citizen" or actor.split(":", 1)[0] in _CITIZEN_ACTOR_CHANNELS:
        channel = _CITIZEN_ACTOR_CHANNELS.get(actor.split(":", 1)[0])
        return f"市民（{channel}）" if channel else "市民"
    if actor_role == "system" or actor == "system":
        return ROLE_ACTOR_LABELS["system"]
    return actor


def status_label(status: Status | str) -> str:
    """The staff label of ``status``, or the raw value when it is unknown.

    Records read from the database or an export carry the status as a plain string; an unknown one
    (say, from a newer schema) is shown as it is rather than breaking a whole report.
    """
    try:
        return STATUS_LABELS[Status(status)]
    except (ValueError, KeyError):
        return str(status)
