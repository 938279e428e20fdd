"""After filing: the citizen asks for status, adds information, withdraws, chases and rates, by chat.

Every action goes through `WorkOrderService.transition` with ``actor_role="citizen"``, and only on
orders whose ``citizen_token`` is the session (filed in this chat or through the form of the same
session), or that the citizen proved theirs with the order number and the phone number on file (an
order filed in another chat or by phone). Without that proof an order is answered exactly like a
missing one, so order numbers cannot be probed; after `MAX_VERIFY_FAILURES` wrong pairs the
conversation stops trying. An order another citizen filed that this session's
matter was linked to (并单) holds this citizen's matter too: its status can be queried (status only,
not the filer's reply or rating), and it can be chased and supplemented (`JOINED_ORDER_ACTIONS`);
withdrawing and rating it stay with the citizen who filed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from assistant import texts
from assistant.extract import han_count, substantive
from assistant.intents import Intent, Parsed, conversational, order_action, rating, withdraw_answer
from assistant.slots import find_phone
from assistant.state import ConversationState, Phase
from assistant.store import ConversationEventKind
from assistant.turn import RATING_BUTTONS, Button, Turn
from workorders.config import CityConfig
from workorders.enums import EventKind, Status
from workorders.errors import ConfigError, DomainError, InvalidTransitionError, NotFoundError
from workorders.schemas import TransitionRequest, WorkOrderRead
from workorders.service import WorkOrderService

EK = ConversationEventKind

#: States in which the matter is still being worked on (it can be chased or withdrawn).
BEFORE_REPLY = frozenset(
    {Status.ACCEPTED, Status.RETURNED, Status.DISPATCHED, Status.SIGNED_FOR, Status.IN_HANDLING}
)
#: The follow-up actions, and what each is called when there is no order to apply it to.
ACTION_WORDS = {
    Intent.WITHDRAW: "撤销",
    Intent.CHASE: "催办",
    Intent.STATUS: "查询",
    Intent.SUPPLEMENT: "补充",
    Intent.RATE: "评价",
}
ORDER_INTENTS = frozenset(ACTION_WORDS)
_ACTION_OF: dict[Intent, EventKind] = {
    Intent.WITHDRAW: EventKind.WITHDRAW,
    Intent.CHASE: EventKind.CHASE,
    Intent.SUPPLEMENT: EventKind.SUPPLEMENT,
    Intent.RATE: EventKind.RATE,
}

#: What a citizen may do on an order they joined by 并单 (filed by someone else). Chasing and adding
#: information concern their own matter, which is in that order and still unresolved; withdrawing
#: would stop another citizen's matter, and the rating is the filer's callback (回访).
JOINED_ORDER_ACTIONS = frozenset({EventKind.CHASE, EventKind.SUPPLEMENT})

#: A second chase of the same order by the same conversation within this window is acknowledged
#: without recording another chase event. A chase is a signal to the department, and each one counts
#: towards automatic supervision (`SupervisionConfig.chases`); "催一下" sent twice in a minute is one
#: wish, not two, and must not escalate the order on its own.
CHASE_REPEAT_WINDOW = dt.timedelta(hours=1)

#: Wrong order-number/phone pairs a conversation may give before it is told to call the hotline.
MAX_VERIFY_FAILURES = 3

#: The words of a rating itself (给个4分, 我想改一下评价, 不满意): what is left is the citizen's reason.
_RATING_WORDS = re.compile(
    r"[1-5一二三四五]\s*(?:分|星|颗星)|评价|评分|打分|给个?|改一下|我想|我要|再评一次|重新评|非常|很|不?满意|还行吧?|一般"
)


def rating_reason(text: str) -> str | None:
    """What a rating message says besides the score (其实灯又坏了一盏), or None when it says nothing more."""
    return text.strip()[:500] if han_count(_RATING_WORDS.sub("", text)) >= 4 else None


@dataclass(frozen=True)
class _AllOrders:
    """Marker for "every order of the session" (a status query without a number)."""

    orders: list[WorkOrderRead]


def rest_phase(st: ConversationState) -> Phase:
    """Where the dialogue returns after a pending question is answered."""
    if st.draft is not None:
        return Phase.COLLECTING
    return Phase.FILED if st.has_orders() else Phase.START


class FollowUps:
    """Follow-up actions on the session's orders."""

    def __init__(self, orders: WorkOrderService, config: CityConfig, tz: dt.tzinfo) -> None:
        self.orders = orders
        self.config = config
        self.tz = tz

    # -- recognising ----------------------------------------------------------------------------

    def intent(self, st: ConversationState, text: str, command: Parsed | None) -> Parsed | None:
        """The follow-up action a message (or a button payload) asks for, if any."""
        if command is not None:
            if command.intent not in ORDER_INTENTS:
                return None
            self.adopt_session_orders(st)
            return command
        awaiting_rating = st.phase is Phase.AWAITING_RATING
        # Only a message that could be a follow-up once an order exists costs the order query.
        if order_action(text, has_orders=True, awaiting_rating=awaiting_rating) is None:
            return None
        self.adopt_session_orders(st)
        return order_action(text, has_orders=st.has_orders(), awaiting_rating=awaiting_rating)

    def adopt_session_orders(self, st: ConversationState) -> None:
        """Count the orders this session filed through the form as its own (one indexed query).

        The chat and the form of the citizen page share the session, so 查一下我的工单 after filing
        by form must find that order.
        """
        for order in self.orders.list(citizen_token=st.session_id, limit=20):
            if order.id not in st.orders:
                st.orders.append(order.id)

    # -- answers to pending questions (True when the message was handled) ------------------------

    def on_withdraw_answer(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st = turn.state
        order_id, reason = st.pending_order_id, st.pending_text
        st.phase, st.pending_order_id, st.pending_text = rest_phase(st), None, None
        answer = intent if intent in (Intent.AFFIRM, Intent.DENY) else withdraw_answer(text)
        if order_id is None or answer is None:
            return False
        order = self.orders.get(order_id)
        if answer is Intent.DENY:
            turn.say(texts.WITHDRAW_KEPT.format(number=order.number))
            return True
        try:
            updated = self._transition(
                turn, order, EventKind.WITHDRAW, reason=reason or "市民在对话中撤单", kind=EK.WITHDRAW
            )
        except InvalidTransitionError:
            turn.say(
                texts.CANNOT_WITHDRAW.format(number=order.number, status=self.status_label(order.status))
            )
            return True
        turn.say(texts.WITHDRAWN.format(number=updated.number))
        return True

    def on_rating_answer(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st = turn.state
        order_id = st.pending_order_id
        st.phase, st.pending_order_id = rest_phase(st), None
        if intent is Intent.RATE:
            return False  # a /rate payload carries its own rating: handled as an action
        score = rating(text)
        if order_id is None or score is None:
            return False
        self.rate(turn, self.orders.get(order_id), score, rating_reason(text))
        return True

    def on_verification_answer(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        """The phone number asked for to prove a named order; then the action waiting for it."""
        st = turn.state
        number, action, pending = st.pending_number, st.pending_action, st.pending_text
        st.phase, st.pending_number, st.pending_action, st.pending_text = rest_phase(st), None, None, None
        phone = find_phone(text)
        if number is None or action is None or phone is None:
            return False
        asked = pending or text
        order = self._verify(turn, number, phone.number)
        if order is None:
            self._await_phone(st, number, Intent(action), asked)  # a wrong digit: try again
            return True
        st.phase = rest_phase(st)
        # the original message again, so what it carried (给5分, the supplement's text) is kept
        parsed = order_action(asked, has_orders=True)
        if parsed is None or parsed.intent is not Intent(action):
            parsed = Parsed(Intent(action), {})
        self.act(turn, Parsed(parsed.intent, {**parsed.entities, "order_number": number}), asked)
        return True

    def on_supplement_answer(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st = turn.state
        order_id = st.pending_order_id
        st.phase, st.pending_order_id = rest_phase(st), None
        if order_id is None or intent is not None or conversational(text) is not None:
            return False
        self.supplement(turn, self.orders.get(order_id), text)
        return True

    # -- actions ---------------------------------------------------------------------------------

    def act(self, turn: Turn, action: Parsed, text: str) -> None:
        """Carry out a follow-up action (or ask what it needs)."""
        st = turn.state
        if not st.has_orders() and not action.entities.get("order_number"):
            turn.say(texts.no_orders_for(ACTION_WORDS.get(action.intent, "办理"), self.config.city.hotline))
            return
        target = self._target(turn, action, text)
        if target is None:
            return
        if action.intent is Intent.STATUS or isinstance(target, _AllOrders):
            self.status(turn, target)
            return
        if not self._may(st, target, _ACTION_OF[action.intent]):
            self._refuse(turn, target)
            return
        if action.intent is Intent.WITHDRAW:
            self._ask_withdraw(turn, target, text)
        elif action.intent is Intent.CHASE:
            self._chase(turn, target, text)
        elif action.intent is Intent.SUPPLEMENT:
            added = str(action.entities.get("text") or "").strip()
            if substantive(added):
                self.supplement(turn, target, added)
            else:
                st.phase, st.pending_order_id = Phase.AWAITING_SUPPLEMENT, target.id
                turn.say(texts.ASK_SUPPLEMENT.format(number=target.number))
        elif action.intent is Intent.RATE:
            score = action.entities.get("rating")
            if isinstance(score, int | str) and str(score).isdigit() and 1 <= int(score) <= 5:
                self.rate(turn, target, int(score), rating_reason(text))
            elif target.status is Status.REPLIED:
                st.phase, st.pending_order_id = Phase.AWAITING_RATING, target.id
                turn.say(texts.ASK_RATING, RATING_BUTTONS)
            else:
                turn.say(self._cannot_rate(target))

    def status(self, turn: Turn, target: WorkOrderRead | _AllOrders) -> None:
        st = turn.state
        orders = target.orders if isinstance(target, _AllOrders) else [target]
        lines = []
        ask_rating: WorkOrderRead | None = None
        for order in orders[:5]:
            line = f"工单 {order.number}：{self.status_label(order.status)}"
            if self._owns(st, order):
                if order.lead_department:
                    line += f"，承办单位：{self._department_name(order.lead_department)}"
                if order.status in BEFORE_REPLY and order.deadline_at:
                    line += f"，办理时限：{texts.local(order.deadline_at, self.tz, turn.now)}前"
                if order.reply_text and order.status in (Status.REPLIED, Status.RATED, Status.CLOSED):
                    line += f"。答复内容：{order.reply_text[:300].rstrip('。.')}"
                if order.rating:
                    line += f"。您的评价：{order.rating}分"
                if order.status is Status.REPLIED and ask_rating is None:
                    ask_rating = order
            else:
                line += "（您反映的情况已合并到这张工单）"
            lines.append(line)
        turn.say("\n".join(lines))
        turn.last_number = orders[0].number if orders else None
        turn.record(EK.STATUS_QUERY, {"numbers": [o.number for o in orders[:5]]})
        if ask_rating is not None:
            st.phase, st.pending_order_id = Phase.AWAITING_RATING, ask_rating.id
            turn.say(texts.ASK_RATING, RATING_BUTTONS)

    def rate(self, turn: Turn, order: WorkOrderRead, score: int, reason: str | None = None) -> None:
        """Rate a replied order; a rating at or below the city's threshold sends it back (重办).

        Args:
            reason: What the citizen said with the score (灯又坏了一盏，1分): the department reads it
                when the order comes back.
        """
        if not self._may(turn.state, order, EventKind.RATE):
            self._refuse(turn, order)
            return
        if order.status is not Status.REPLIED:
            turn.say(self._cannot_rate(order))
            return
        updated = self._transition(
            turn, order, EventKind.RATE, rating=score, reason=reason, kind=EK.RATE, extra={"rating": score}
        )
        if updated.status is Status.IN_HANDLING:
            deadline = texts.local(updated.deadline_at, self.tz, turn.now)
            turn.say(texts.RATED_BACK.format(rating=score, number=updated.number, deadline=deadline))
        else:
            turn.say(texts.RATED_OK.format(rating=score, number=updated.number))

    def supplement(self, turn: Turn, order: WorkOrderRead, text: str) -> None:
        if not self._may(turn.state, order, EventKind.SUPPLEMENT):
            self._refuse(turn, order)
            return
        try:
            updated = self._transition(turn, order, EventKind.SUPPLEMENT, text=text, kind=EK.SUPPLEMENT)
        except InvalidTransitionError:
            status = self.status_label(order.status)
            turn.say(texts.CANNOT_SUPPLEMENT.format(number=order.number, status=status))
            return
        turn.say(texts.SUPPLEMENTED.format(number=updated.number))

    def status_label(self, status: Status) -> str:
        return texts.CITIZEN_STATUS_LABELS.get(status, status.value)

    # -- internals ------------------------------------------------------------------------------

    def _ask_withdraw(self, turn: Turn, order: WorkOrderRead, text: str) -> None:
        st = turn.state
        if order.status not in BEFORE_REPLY:
            turn.say(
                texts.CANNOT_WITHDRAW.format(number=order.number, status=self.status_label(order.status))
            )
            return
        st.phase, st.pending_order_id, st.pending_text = Phase.AWAITING_WITHDRAW, order.id, text[:500]
        turn.say(
            texts.ASK_WITHDRAW.format(number=order.number),
            (Button("确认撤单", "/affirm"), Button("不撤了", "/deny")),
        )

    def _chase(self, turn: Turn, order: WorkOrderRead, text: str) -> None:
        """Chase an order still being worked on; a repeat within `CHASE_REPEAT_WINDOW` is only acknowledged."""
        last = self._last_chase(turn, order) if order.status in BEFORE_REPLY else None
        if last is not None and turn.now - last < CHASE_REPEAT_WINDOW:
            turn.state.last_order_id = order.id
            turn.last_number = order.number
            turn.say(
                texts.chased_recently(
                    order.number,
                    at=texts.local(last, self.tz, turn.now),
                    status=self.status_label(order.status),
                    deadline=texts.local(order.deadline_at, self.tz, turn.now),
                )
            )
            return
        try:
            updated = self._transition(turn, order, EventKind.CHASE, reason=text[:500], kind=EK.CHASE)
        except InvalidTransitionError:
            turn.say(texts.CANNOT_CHASE.format(number=order.number, status=self.status_label(order.status)))
            return
        turn.say(
            texts.CHASED.format(
                number=updated.number,
                status=self.status_label(updated.status),
                deadline=texts.local(updated.deadline_at, self.tz, turn.now),
            )
        )

    def _target(self, turn: Turn, action: Parsed, text: str) -> WorkOrderRead | _AllOrders | None:
        """The order an action is about: the one named, else the most recent one it fits.

        A named order this conversation does not know yet is acted on once the citizen gives the
        phone number on file, in the same message or when asked (`on_verification_answer`).
        """
        st = turn.state
        visible = [*st.orders, *st.linked, *st.verified]
        number = action.entities.get("order_number")
        if number:
            try:
                order: WorkOrderRead | None = self.orders.get(str(number))
            except NotFoundError:
                order = None
            if order is not None and order.id in visible:
                return order
            phone = find_phone(text)
            if phone is not None:
                found = self._verify(turn, str(number), phone.number)
                if found is None:
                    self._await_phone(st, str(number), action.intent, text)
                return found
            if st.verify_failures >= MAX_VERIFY_FAILURES:
                turn.say(texts.verification_locked(self.config.city.hotline))
                return None
            self._await_phone(st, str(number), action.intent, text)
            turn.say(texts.ASK_PHONE_ON_FILE.format(number=number))
            return None
        orders = [self.orders.get(i) for i in reversed(visible)]
        if action.intent is Intent.STATUS:
            return orders[0] if len(orders) == 1 else _AllOrders(orders)
        owned = [o for o in orders if self._may(st, o, _ACTION_OF[action.intent])]
        if not owned:
            self._refuse(turn, orders[0])
            return None
        fitting = {
            Intent.RATE: [o for o in owned if o.status is Status.REPLIED],
            Intent.WITHDRAW: [o for o in owned if o.status in BEFORE_REPLY],
            Intent.CHASE: [o for o in owned if o.status in BEFORE_REPLY],
            Intent.SUPPLEMENT: [o for o in owned if o.status not in (Status.CLOSED, Status.WITHDRAWN)],
        }.get(action.intent, owned)
        return fitting[0] if fitting else owned[0]

    def _transition(
        self,
        turn: Turn,
        order: WorkOrderRead,
        action: EventKind,
        *,
        kind: ConversationEventKind,
        reason: str | None = None,
        text: str | None = None,
        rating: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> WorkOrderRead:
        """A citizen's action on their own order (or one they joined, see `_may`), through the service."""
        if not self._may(turn.state, order, action):
            raise DomainError("not this session's order")
        updated = self.orders.transition(
            order.id,
            TransitionRequest(
                action=action,
                actor=f"chat:{turn.state.session_id}",
                actor_role="citizen",
                reason=reason,
                text=text,
                rating=rating,
            ),
        )
        turn.state.last_order_id = updated.id
        turn.last_number = updated.number
        turn.record(
            kind, {"number": updated.number, "status": updated.status.value, **(extra or {})}, updated.id
        )
        return updated

    @staticmethod
    def _await_phone(st: ConversationState, number: str, action: Intent, text: str) -> None:
        """Wait for the phone on file of ``number`` (unless the conversation may not try again)."""
        if st.verify_failures >= MAX_VERIFY_FAILURES:
            return
        st.phase, st.pending_number = Phase.AWAITING_VERIFICATION, number
        st.pending_action, st.pending_text = action.value, text[:500]

    def _verify(self, turn: Turn, number: str, phone: str) -> WorkOrderRead | None:
        """The order when ``phone`` is the number on file for ``number``; else say why not.

        A missing order, an anonymous one and a wrong phone get the same answer, so neither order
        numbers nor phone numbers can be probed.
        """
        st = turn.state
        if st.verify_failures >= MAX_VERIFY_FAILURES:
            turn.say(texts.verification_locked(self.config.city.hotline))
            return None
        try:
            order: WorkOrderRead | None = self.orders.get(number)
        except NotFoundError:
            order = None
        if order is None or order.anonymous or order.citizen_phone != phone:
            st.verify_failures += 1
            turn.say(texts.VERIFICATION_FAILED)
            return None
        if order.id not in st.verified:
            st.verified.append(order.id)
        return order

    @staticmethod
    def _owns(st: ConversationState, order: WorkOrderRead) -> bool:
        """Filed in this session, or proven by the order number and the phone on file."""
        return order.citizen_token == st.session_id or order.id in st.verified

    @classmethod
    def _may(cls, st: ConversationState, order: WorkOrderRead, action: EventKind) -> bool:
        """Whether this conversation may take ``action`` on ``order``: its own, or one it joined."""
        if cls._owns(st, order):
            return True
        return order.id in st.linked and action in JOINED_ORDER_ACTIONS

    def _refuse(self, turn: Turn, order: WorkOrderRead) -> None:
        """Refuse an action the conversation may not take, without disclosing a stranger's order.

        An order it joined is visible to it anyway (its status query lists it), so saying "not
        found" there would contradict what the citizen just saw: it is told what it can do instead.
        """
        if order.id in turn.state.linked:
            turn.say(texts.joined_order_only(order.number))
        else:
            turn.say(texts.NOT_YOURS)

    def _cannot_rate(self, order: WorkOrderRead) -> str:
        """Why an order that is not awaiting a rating cannot be rated now, in the citizen's terms.

        Before the reply it is still being handled; after a rating, or once closed, it is not
        "still in handling" (the old wording said so for every status): the citizen is told when it
        was rated or closed, and that a problem that persists is filed anew.
        """
        if order.status is Status.RATED:
            return texts.already_rated(order.number, at=self._rated_at(order), rating=order.rating)
        if order.status is Status.CLOSED:
            closed = texts.local(order.closed_at, self.tz) if order.closed_at else None
            return texts.rating_closed(order.number, at=closed, rating=order.rating)
        if order.status is Status.WITHDRAWN:
            return texts.rating_withdrawn(order.number)
        return texts.RATING_NOT_READY.format(number=order.number, status=self.status_label(order.status))

    def _rated_at(self, order: WorkOrderRead) -> str | None:
        """When the order was last rated (the order row keeps the score, the event log the time)."""
        rated = [e.created_at for e in self.orders.events(order.id) if e.kind is EventKind.RATE]
        return texts.local(rated[-1], self.tz) if rated else None

    def _last_chase(self, turn: Turn, order: WorkOrderRead) -> dt.datetime | None:
        """When this conversation last chased ``order``, from the order's own event log.

        The log, not the conversation state, so the window also holds across a server restart.
        """
        actor = f"chat:{turn.state.session_id}"
        chased = [
            e.created_at
            for e in self.orders.events(order.id)
            if e.kind is EventKind.CHASE and e.actor == actor
        ]
        return max(chased) if chased else None

    def _department_name(self, code: str) -> str:
        try:
            return self.config.department(code).name
        except ConfigError:
            return code
