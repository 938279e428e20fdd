"""The dialogue manager: one citizen message in, the assistant's replies and the conversation state out.

Transport-free: the Rasa REST channel (`serving.routers.chat`), the terminal (`intake chat`) and the
benchmarks call `DialogueManager.handle(session_id, text)`. Each turn loads the session's state from
the database, runs, and saves it with the turn's audit events in one transaction, so a restart loses
nothing.

A turn is decided in a fixed order, because some things must win over others:

1. unusable input (empty, emoji only, markup only) gets a polite answer and the pending question again;
2. an emergency (110/119/120/122) wins over everything, also mid-conversation;
3. over-long or foreign-language input is refused politely;
4. a pending yes/no (confirm the summary, link a repeat, file after a knowledge answer, withdraw);
5. follow-up actions on the citizen's orders (查进度, 撤单, 催单, 补充, 评价);
6. otherwise the message starts or continues a draft: slots are filled from free text, the matter is
   triaged (redirects end the draft; consultations the knowledge base answers are answered), one
   question is asked at a time, repeats are offered for linking, and nothing is filed before 确认.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pydantic

from assistant import texts
from assistant.address import AddressParser
from assistant.extract import (
    Extraction,
    complaint_text,
    extract,
    han_count,
    not_an_answer,
    short_answer,
    substantive,
    title_of,
)
from assistant.filing import category_of, new_work_order, triage_field
from assistant.followup import ORDER_INTENTS, FollowUps
from assistant.intents import (
    Intent,
    Parsed,
    announces_another_matter,
    bare_followup,
    conversational,
    explicit_slot,
    is_correction,
    is_question,
    parse_command,
    strip_human_request,
    supplement_content,
    wants_filing,
    wants_human,
    yes_no,
)
from assistant.knowledge import answer_hits
from assistant.options import AssistantConfig
from assistant.ports import DraftForRepeat, KnowledgePort, RepeatPort, TriagePort
from assistant.slots import declines, find_phone, looks_like_bad_phone, name_from_answer
from assistant.state import ConversationState, Draft, Phase
from assistant.store import ConcurrentTurnError, ConversationEventKind, ConversationStore
from assistant.text_input import InputProblem, clean_message
from assistant.timeparse import IncidentTime, describe_time, mentions_time, parse_incident_time
from assistant.turn import RATING_BUTTONS, YES_NO_BUTTONS, BotMessage, Button, Turn, TurnResult
from workorders.config import CityConfig
from workorders.enums import PETITION_MATTER_TYPES, EventKind, MatterType, Status
from workorders.errors import DomainError, InvalidTransitionError, NotFoundError
from workorders.schemas import TransitionRequest
from workorders.service import WorkOrderService
from workorders.validation import mask_id_number, mask_phone

__all__ = ["AssistantConfig", "BotMessage", "Button", "DialogueManager", "TurnResult", "triage_field"]

log = logging.getLogger("intake.assistant")

Clock = Callable[[], dt.datetime]
EK = ConversationEventKind

_SESSION_ID = re.compile(r"^[A-Za-z0-9_.:@\-]{1,64}$")
_NOT_SAME = re.compile(r"另一件事|另外一件事|不是同一件|不是一回事|不一样|不是一个事|单独登记|新的问题")
_MERGE = re.compile(r"^(?:合并|可以合并|合并吧|合并到该工单|并单|同一件事|是同一件事|就是这个)")
_NAMES_PLACE = re.compile(r"地址|地点|位置|在哪|地方")
#: A correction that is about the matter itself (诉求不对, 我要反映的是…), so it replaces the request.
_NAMES_REQUEST = re.compile(r"诉求|问题是|问题不是|反映的是|要反映的|投诉的是|说的是|事情是|内容")
_REQUEST_LABEL = re.compile(
    r"^(?:不对|错了|更正)?[，,\s]*(?:我的)?(?:诉求|问题|事情|内容)?(?:不对|错了|有误)?[，,\s]*"
    r"(?:我要反映的是|反映的是|应该是|是|改成|改为)?"
)
_NAMES_TIME = re.compile(r"时间|时候|日期")
_UNKNOWN_TIME = re.compile(r"不记得|记不清|不清楚|忘了|不知道|说不准|说不好")
#: Questions about the assistant or the procedure (为什么要留电话, 你们几点下班): not facts of the matter.
_META_QUESTION = re.compile(
    r"你|您|机器人|为什么要|必须|一定要|可以不|能不能不|留电话|留名字|怎么登记|有人吗|在吗|有人在"
)
#: Slots that are asked once more when a reply was not an answer of their kind (the others are
#: required, so they are asked again anyway until their own limits).
_ASK_AGAIN = ("incident_time",)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _SessionLock:
    """A lock per session (weak-referenced, so idle sessions cost nothing)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


class DialogueManager:
    """Runs conversations.

    Args:
        store: Where conversation state and events live.
        orders: The work-order service that files and moves orders.
        triage: Category, urgency, emergency, redirect and matter type of a text.
        config: The city config (name, districts, supervision thresholds).
        knowledge: Regulations and past cases for consultations; None answers nothing.
        repeats: Repeat detection; None never links.
        clock: Current time (aware); tests pass a fixed clock.
        settings: Tunable behaviour.
    """

    def __init__(
        self,
        *,
        store: ConversationStore,
        orders: WorkOrderService,
        triage: TriagePort,
        config: CityConfig,
        knowledge: KnowledgePort | None = None,
        repeats: RepeatPort | None = None,
        clock: Clock = _utc_now,
        settings: AssistantConfig | None = None,
    ) -> None:
        self.store = store
        self.orders = orders
        self.triage_port = triage
        self.knowledge = knowledge
        self.repeats = repeats
        self.config = config
        self.settings = settings or AssistantConfig()
        self._clock = clock
        self._tz = orders.deadlines.timezone
        self.address_parser = AddressParser(config.city.name, config.city.districts)
        self.followups = FollowUps(orders, config, self._tz)
        self._locks: weakref.WeakValueDictionary[str, _SessionLock] = weakref.WeakValueDictionary()
        self._locks_guard = threading.Lock()

    # -- public ---------------------------------------------------------------------------------

    def handle(self, session_id: str, text: str | None) -> TurnResult:
        """Process one citizen message and return the replies.

        Raises:
            ValueError: `session_id` is not 1-64 characters of ``[A-Za-z0-9_.:@-]``.
        """
        if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
            raise ValueError("session id must be 1-64 characters of letters, digits and _.:@-")
        holder = self._lock_for(session_id)
        with holder.lock:
            for attempt in range(2):
                state = self.store.load(session_id) or ConversationState(session_id=session_id)
                turn = Turn(state=state, now=self._clock().astimezone(self._tz))
                try:
                    self._process(turn, text)
                except Exception:
                    log.exception("assistant turn failed (session %s)", session_id)
                    return TurnResult(session_id, [BotMessage(texts.TRY_AGAIN)], self._safe_custom(state))
                state.turns += 1
                state.remember("citizen", (text or "")[:500])
                for message in turn.messages:
                    state.remember("assistant", message.text)
                try:
                    self.store.save(state, turn.events)
                except ConcurrentTurnError:
                    if attempt == 0:
                        continue
                    return TurnResult(session_id, [BotMessage(texts.TRY_AGAIN)], self._safe_custom(state))
                return TurnResult(session_id, turn.messages, self._custom(state, turn))
        raise AssertionError("unreachable")

    def warm_up(self) -> None:
        """Load what is otherwise loaded on first use (cpca's division table, jieba's dictionary,
        the models' first call), so the first citizens do not wait for it, and concurrent first
        calls do not all queue behind one loader."""
        self.address_parser.parse("北京市朝阳区建国路88号")
        self._emergency("热身")
        self._triage("小区门口的路灯坏了", "路灯坏了")
        if self.knowledge is not None:
            self._knowledge_hits("请问公积金怎么提取")
        if self.repeats is not None:
            from types import SimpleNamespace

            now = self._clock()
            dummy = SimpleNamespace(
                id=0, number="0", citizen_phone="13800000000", address="建设路1号", district=None,
                request="路灯坏了", facts="", category=None, created_at=now, status=Status.ACCEPTED, title="",
            )  # fmt: skip
            draft = DraftForRepeat("路灯坏了", "", "13800000000", "建设路1号", None, None)
            self.repeats.find(draft, [dummy], now=now)  # type: ignore[list-item]

    def state_of(self, session_id: str) -> ConversationState | None:
        """The stored state of a session (for operators and tests)."""
        return self.store.load(session_id)

    # -- the turn -------------------------------------------------------------------------------

    def _lock_for(self, session_id: str) -> _SessionLock:
        with self._locks_guard:
            holder = self._locks.get(session_id)
            if holder is None:
                holder = _SessionLock()
                self._locks[session_id] = holder
            return holder

    def _process(self, turn: Turn, raw: str | None) -> None:
        st = turn.state
        clean = clean_message(raw, max_chars=self.settings.max_message_chars)
        problem = clean.problem
        unusable = {
            InputProblem.EMPTY: texts.INPUT_EMPTY,
            InputProblem.MARKUP_ONLY: texts.INPUT_MARKUP,
            InputProblem.EMOJI_ONLY: texts.INPUT_EMOJI,
            InputProblem.PUNCTUATION_ONLY: texts.INPUT_PUNCTUATION,
        }
        if problem in unusable:
            turn.say(unusable[problem])
            turn.record(EK.REJECTED_INPUT, {"problem": problem.value, "length": clean.original_length})
            self._reprompt(turn)
            return
        text = clean.text
        emergency = self._emergency(text)
        if emergency is not None:
            self._hand_over(turn, emergency, keep_draft=True)
            return
        if problem is InputProblem.TOO_LONG:
            turn.say(texts.input_too_long(clean.original_length, self.settings.max_message_chars))
            turn.record(EK.REJECTED_INPUT, {"problem": problem.value, "length": clean.original_length})
            self._reprompt(turn)
            return
        if problem is InputProblem.FOREIGN and not self._accepts_foreign(st, text):
            turn.say(texts.INPUT_FOREIGN)
            turn.record(EK.REJECTED_INPUT, {"problem": problem.value, "length": clean.original_length})
            self._reprompt(turn)
            return
        if st.phase is Phase.EMERGENCY:
            st.phase = st.resume_phase or (Phase.COLLECTING if st.draft else Phase.START)
            st.resume_phase = None
        self._dispatch(turn, text, parse_command(text))

    def _dispatch(self, turn: Turn, text: str, command: Parsed | None) -> None:
        st = turn.state
        intent = command.intent if command else None
        conv = intent if intent in (Intent.RESTART, Intent.CANCEL) else conversational(text)
        if conv is Intent.RESTART:
            st.draft, st.phase, st.pending_order_id = None, Phase.START, None
            turn.say(texts.RESTARTED)
            return
        if command is None and wants_human(text):
            self._human_requested(turn, text)
            return

        handler = {
            Phase.CONFIRMING: self._on_confirming,
            Phase.CONFIRM_REPEAT: self._on_confirm_repeat,
            Phase.KNOWLEDGE_OFFERED: self._on_knowledge_offered,
            Phase.AWAITING_WITHDRAW: self.followups.on_withdraw_answer,
            Phase.AWAITING_RATING: self.followups.on_rating_answer,
            Phase.AWAITING_SUPPLEMENT: self.followups.on_supplement_answer,
            Phase.AWAITING_VERIFICATION: self.followups.on_verification_answer,
        }.get(st.phase)
        if handler is not None and handler(turn, text, intent):
            return

        action = self.followups.intent(st, text, command)
        if action is None and command is None and not st.has_orders():
            action = bare_followup(text)
        if (
            action is not None
            and action.intent is Intent.SUPPLEMENT
            and st.draft is not None
            and st.phase in (Phase.COLLECTING, Phase.CONFIRMING)
            and not action.entities.get("order_number")
        ):
            action = None  # 我补充一下… while a matter is being collected adds to that matter
        if action is not None:
            if action.intent is Intent.WITHDRAW and st.draft is not None and not st.has_orders():
                self._cancel(turn)  # 算了我想撤了这个单子 before anything was filed: drop the draft
                return
            self.followups.act(turn, action, text)
            if st.draft is not None and st.phase in (Phase.COLLECTING, Phase.CONFIRMING):
                self._reprompt(turn)
            return
        if conv is Intent.CANCEL:
            self._cancel(turn)
            return
        if conv is Intent.GREET and st.draft is None:
            turn.say(texts.welcome(self.config.city.name))
            return
        if conv is Intent.GREET:  # 有人吗 mid-draft: neither an answer nor a fact
            turn.say(texts.STILL_HERE)
            self._reprompt(turn)
            return
        if conv is Intent.THANKS:
            turn.say(texts.THANKS)
            self._reprompt(turn)
            return
        if conv is Intent.BYE:
            turn.say(texts.BYE_WITH_DRAFT if st.draft is not None else texts.BYE)
            return
        if conv is Intent.HELP:
            turn.say(texts.HELP)
            self._reprompt(turn)
            return
        if command is not None and intent in (Intent.AFFIRM, Intent.DENY, Intent.FILE_ANYWAY):
            # A stale button (pressed after its question was answered): nothing to confirm now.
            if st.draft is None and st.turns > 0:
                turn.say(texts.ALREADY_DONE if intent is Intent.AFFIRM else texts.NOTHING_PENDING)
            else:
                self._reprompt(turn, or_welcome=True)
            return
        if st.draft is None and (yes_no(text) is not None or declines(text)):
            # 不用了 or 好的 with nothing pending closes politely; it is not the start of a complaint
            turn.say(
                texts.NOTHING_PENDING
                if st.turns > 0 or yes_no(text) is Intent.DENY
                else texts.welcome(self.config.city.name)
            )
            return
        if st.draft is not None and st.phase is Phase.COLLECTING:
            self._on_collecting(turn, text)
            return
        self._start_draft(turn, text)

    # -- phases waiting for an answer (each returns True when it handled the message) ---------------

    def _on_confirming(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st, d = turn.state, turn.state.draft
        if d is None:
            st.phase = Phase.START
            return False
        answer = intent if intent in (Intent.AFFIRM, Intent.DENY) else yes_no(text)
        if answer is Intent.AFFIRM:
            self._file(turn)
            return True
        if answer is Intent.DENY:
            d.awaiting = None
            turn.say(texts.WHAT_TO_CHANGE)
            return True
        if intent is Intent.CANCEL or conversational(text) is Intent.CANCEL:
            self._cancel(turn)
            return True
        if announces_another_matter(text):
            turn.say(texts.ONE_MATTER_AT_A_TIME, YES_NO_BUTTONS)
            return True
        if self.followups.intent(st, text, None) is not None:
            return False
        self._update_draft(turn, text, correcting=is_correction(text))
        return True

    def _on_confirm_repeat(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st, d = turn.state, turn.state.draft
        if d is None or d.repeat is None:
            st.phase = Phase.COLLECTING if d else Phase.START
            return False
        answer = intent if intent in (Intent.AFFIRM, Intent.DENY) else yes_no(text)
        if answer is None and _NOT_SAME.search(text):
            answer = Intent.DENY
        elif answer is None and _MERGE.search(text):
            answer = Intent.AFFIRM
        if answer is Intent.AFFIRM:
            self._link_repeat(turn)
            return True
        if answer is Intent.DENY or wants_filing(text):
            d.repeat, d.repeat_declined = None, True
            self._advance(turn)
            return True
        if intent is Intent.CANCEL or conversational(text) is Intent.CANCEL:
            self._cancel(turn)
            return True
        if self.followups.intent(st, text, None) is not None:
            return False
        self._update_draft(turn, text, correcting=is_correction(text))
        return True

    def _on_knowledge_offered(self, turn: Turn, text: str, intent: Intent | None) -> bool:
        st, d = turn.state, turn.state.draft
        if d is None:
            st.phase = Phase.START
            return False
        if (
            intent in (Intent.FILE_ANYWAY, Intent.AFFIRM)
            or wants_filing(text)
            or yes_no(text) is Intent.AFFIRM
        ):
            st.phase = Phase.COLLECTING
            self._advance(turn)
            return True
        if (
            intent in (Intent.DENY, Intent.CANCEL)
            or yes_no(text) is Intent.DENY
            or conversational(text) in (Intent.CANCEL, Intent.THANKS)
        ):
            st.draft, st.phase = None, Phase.START
            turn.say("好的，不登记。还有其他问题，随时告诉我。")
            return True
        if intent in ORDER_INTENTS or self.followups.intent(st, text, None) is not None:
            return False  # 查一下我的工单 in between: the offer stays open for the answer after it
        found = self._extract(turn, text, awaiting=None)
        if (found.location or found.phone or found.name or found.time) and not is_question(text):
            # 东城区万达广场一楼 after "nothing found": the citizen goes on describing the matter,
            # which is a wish to file it; the question stays the request.
            st.phase = Phase.COLLECTING
            self._update_draft(turn, text, correcting=False)
            return True
        st.draft, st.phase = None, Phase.START
        return False

    # -- drafts ---------------------------------------------------------------------------------

    def _start_draft(self, turn: Turn, text: str) -> None:
        st = turn.state
        st.drafts_started += 1
        st.draft = Draft(number=st.drafts_started)
        st.phase = Phase.COLLECTING
        st.last_emergency = st.last_redirect = None
        found = self._extract(turn, text, awaiting=None)
        self._apply(turn, found, overwrite=True)
        body = complaint_text(text, found.phone, found.urls)
        # 西城区春风里5号楼2单元301 alone (after a redirect, say) gives the place, not the matter
        if substantive(body) and substantive(complaint_text(found.rest, None, [])):
            st.draft.request = body
            st.draft.title = title_of(body)
            if not self._triage_draft(turn):
                return
        self._advance(turn)

    def _on_collecting(self, turn: Turn, text: str) -> None:
        d = turn.state.draft
        assert d is not None
        if d.awaiting == "phone" and looks_like_bad_phone(text):
            d.asked["phone"] = d.asked.get("phone", 0) + 1
            turn.say(texts.BAD_PHONE)
            return
        self._update_draft(turn, text, correcting=is_correction(text))

    def _human_requested(self, turn: Turn, text: str) -> None:
        """转人工: a web chat cannot be put through, so say where a person answers, and keep the draft.

        Whatever else the message says (转人工，我家停水了) is still taken as usual.
        """
        turn.say(texts.human_unavailable(self._hotline()))
        rest = strip_human_request(text)
        if rest and substantive(rest):
            self._dispatch(turn, rest, None)
        else:
            self._reprompt(turn)

    def _hotline(self) -> str:
        """The number for a human operator: the city's ``city.hotline`` (12345 unless it says otherwise)."""
        return self.config.city.hotline

    def _on_question(self, turn: Turn, text: str) -> bool:
        """A question asked instead of an answer (什么时候来水): noted, not taken as the slot's value.

        A question about the matter itself is worth passing on, so it goes into the facts for the
        department to answer; a question about the assistant or the procedure does not. Returns False
        when the message also carries a slot value, so it is taken as usual instead.
        """
        d = turn.state.draft
        assert d is not None
        strict = self._extract(turn, text, awaiting=None)
        if strict.location or strict.time or strict.phone or strict.name or strict.anonymous is not None:
            return False
        question = text.strip()
        if _META_QUESTION.search(re.sub(r"你好|您好", "", question)) or not substantive(question):
            turn.say(texts.QUESTION_LATER)
        else:
            if question not in d.facts and len(d.facts) < 50:
                d.facts.append(question)
            turn.say(texts.QUESTION_NOTED.format(question=question.rstrip("？?。 ")[:40]))
        self._advance(turn, keep=d.awaiting)
        return True

    def _correct_slot(self, turn: Turn, slot: str, value: str) -> bool:
        """时间是今天下午 / 地址改成建设路5号: the named slot is replaced, nothing is added to the facts.

        Returns False when the value is not one of that kind, so the message is taken as usual.
        """
        d = turn.state.draft
        assert d is not None
        if find_phone(value) or han_count(value) > 60 or not_an_answer(value):
            return False
        if slot == "incident_time":
            when = parse_incident_time(value, turn.now)
            if when is None and mentions_time(value):
                when = IncidentTime(at=None, text=value, precision="vague")  # keep the citizen's words
            if when is None:
                return False
            self._set_time(d, when)
        else:
            loc = self.address_parser.parse_answer(value)
            if loc is None:
                return False
            if loc.address and d.address and not loc.district:
                # 芳城园二区5号楼 corrects 丰台区方庄芳城园一区5号楼 from where they agree: keep what came before
                start = d.address.find(loc.address[:3])
                if start > 0:
                    loc = replace(loc, address=(d.address[:start] + loc.address)[:300], district=d.district)
            self._apply(turn, Extraction(location=loc), overwrite={"location"})
        if turn.state.phase is Phase.CONFIRMING or d.awaiting != slot:
            turn.say(texts.CORRECTED)
        self._advance(turn)
        return True

    def _update_draft(self, turn: Turn, text: str, *, correcting: bool) -> None:
        """Take a message into the draft: slot answers, corrections and added facts; then move on."""
        st, d = turn.state, turn.state.draft
        assert d is not None
        added = supplement_content(text)
        if added is not None:  # 我补充一下，已经找过物业三次了: a fact, not the answer to the question
            if not added:
                turn.say(texts.ASK_DRAFT_SUPPLEMENT)
                return
            if st.phase is Phase.COLLECTING:
                turn.say(texts.noted())
            d.awaiting = None
            text = added
        awaiting = d.awaiting
        explicit = explicit_slot(text)
        if explicit is not None and self._correct_slot(turn, *explicit):
            return
        asking = st.phase is Phase.COLLECTING and awaiting not in (None, "request") and is_question(text)
        if asking and self._on_question(turn, text):
            return
        found = self._extract(turn, text, awaiting=awaiting)
        if correcting:
            overwrite: set[str] | bool = True
        else:  # a new phone or name replaces the old; a place or time only when named as such
            overwrite = {"phone", "name"}
            if _NAMES_PLACE.search(text):
                overwrite.add("location")
            if _NAMES_TIME.search(text):
                overwrite.add("incident_time")
        changed = self._apply(turn, found, overwrite=overwrite)
        answered = self._answer_awaited(turn, text, found, changed)
        content_changed = False
        rest = complaint_text(found.rest, None, [])
        body = complaint_text(text, found.phone, found.urls)
        if awaiting == "request" and not d.request and substantive(body):
            d.request, d.title = body, title_of(body)
            content_changed = True
        elif correcting and substantive(rest) and _NAMES_REQUEST.search(text):
            # 诉求不对，应该是…: the message without its correction words, its time and place kept
            request = _REQUEST_LABEL.sub("", body).strip(" ，,。")
            d.request, d.facts, d.title = request, [], title_of(request)
            content_changed = True
        elif correcting and not changed and (fixed := AddressParser.corrected_address(d.address, text)):
            d.address = fixed  # 不对，是2栋401 / 是南区，不是北区: part of the place, not a new complaint
            changed.add("location")
        elif substantive(rest) and (not answered or han_count(rest) >= 8):
            # a correction that names nothing it replaces is kept as a fact: the complaint stays
            d.facts.append(rest)
            content_changed = True
            correcting = False
        if not (changed or answered or content_changed) and st.phase is Phase.CONFIRMING:
            turn.say(texts.NOT_UNDERSTOOD_CONFIRM, YES_NO_BUTTONS)
            return
        corrected = correcting and bool(changed or content_changed)
        if corrected:
            turn.say(texts.CORRECTED)
        keep = None
        if awaiting and awaiting != "request" and not answered and st.phase is Phase.COLLECTING:
            keep = awaiting
            if not corrected:  # 已更正 already said what the message did
                self._acknowledge(turn, changed, awaiting, added=content_changed)
        if content_changed and not self._triage_draft(turn):
            return
        self._advance(turn, keep=keep)

    def _acknowledge(self, turn: Turn, changed: set[str], awaiting: str, *, added: bool) -> None:
        """Say what a reply gave when it did not answer the question, before the question comes again.

        Repeating a question word for word after 我叫王小明 reads as if the name was not heard.
        """
        contact = turn.state.contact
        if "anonymous" in changed and contact.anonymous:
            turn.say(texts.ANONYMOUS_NOTED)
        elif "name" in changed:
            turn.say(texts.noted(contact.name))
        elif added or changed:
            turn.say(texts.noted())
        elif awaiting == "incident_time":
            turn.say(texts.NOT_A_TIME)
        elif awaiting == "location":
            turn.say(texts.NOT_A_PLACE)

    def _extract(self, turn: Turn, text: str, *, awaiting: str | None) -> Extraction:
        return extract(text, parser=self.address_parser, now=turn.now, awaiting=awaiting)

    def _apply(self, turn: Turn, found: Extraction, *, overwrite: set[str] | bool) -> set[str]:
        """Copy extracted values into the draft and contact; returns the names of slots that changed.

        Args:
            overwrite: Slots whose known value a new one replaces (True: all); others are only filled.
        """
        st, d = turn.state, turn.state.draft
        assert d is not None
        contact = st.contact
        changed: set[str] = set()

        def may(slot: str) -> bool:
            return overwrite is True or (isinstance(overwrite, set) and slot in overwrite)

        if found.phone and (may("phone") or not contact.phone) and found.phone.number != contact.phone:
            contact.phone, contact.anonymous = found.phone.number, False
            changed.add("phone")
        if found.id_number and found.id_number != contact.id_number:
            contact.id_number = found.id_number
            changed.add("id_number")
        if found.anonymous is not None and found.anonymous != contact.anonymous and not found.phone:
            contact.anonymous = found.anonymous
            if found.anonymous:
                contact.phone = None
            changed.add("anonymous")
        if found.name and (may("name") or not contact.name) and found.name != contact.name:
            contact.name, contact.name_declined = found.name, False
            changed.add("name")
        loc = found.location
        if (
            loc is not None
            and loc.specific
            and not loc.not_applicable
            and d.address
            and not d.location_specific
        ):
            loc = AddressParser.merge_answers(d.address, loc)  # 我们小区3栋, then 翠湖小区: 翠湖小区3栋
        if loc is not None:
            better = (loc.specific and not d.location_specific) or (loc.district and not d.district)
            replace = may("location")
            if replace or better or not (d.address or d.district or d.location_not_applicable):
                if loc.not_applicable:
                    d.location_not_applicable, d.address, d.location_specific = True, None, True
                else:
                    d.address = loc.address or (None if replace else d.address)
                    d.district = loc.district or d.district
                    d.region = loc.region or d.region
                    d.location_specific = loc.specific or (d.location_specific and not replace)
                    d.location_not_applicable = False
                changed.add("location")
        # a dated time (上周五) also replaces vague words kept before (最近, 这几天), not an ongoing one
        vague_before = d.incident_time is None and d.incident_time_precision != "ongoing"
        if found.time is not None and (
            may("incident_time")
            or (d.incident_time is None and not d.incident_time_text)
            or (found.time.at is not None and vague_before)
        ):
            self._set_time(d, found.time)
            changed.add("incident_time")
        for url in found.urls:
            if url not in d.attachments and len(d.attachments) < 20:
                d.attachments.append(url)
                changed.add("attachments")
        return changed

    @staticmethod
    def _set_time(d: Draft, value: IncidentTime) -> None:
        d.incident_time = value.at
        d.incident_time_text = describe_time(value)
        d.incident_time_precision = value.precision

    def _answer_awaited(self, turn: Turn, text: str, found: Extraction, changed: set[str]) -> bool:
        """Interpret a reply to the question just asked when no extractor recognised it."""
        st, d = turn.state, turn.state.draft
        assert d is not None
        slot = d.awaiting
        if slot is None:
            return False
        if slot in changed or (slot == "phone" and "anonymous" in changed):
            if slot == "phone" and st.contact.anonymous:
                turn.say(texts.ANONYMOUS_NOTED)
            return True
        answer = short_answer(text)
        if slot == "name":
            if declines(text) or yes_no(text) is not None:  # 不用了, or 确认 to move on: no name given
                st.contact.name_declined = True
                return True
            name = name_from_answer(text)
            if name:
                st.contact.name = name
                return True
            st.contact.name_declined = True  # asked once; not pressed
            return False
        if slot == "incident_time":
            if _UNKNOWN_TIME.search(text) or declines(text):
                d.incident_time_text = "记不清具体时间"
                return True
            if 0 < len(answer) <= 20 and mentions_time(answer) and not changed and not not_an_answer(text):
                d.incident_time_text = answer  # vague but about time (最近, 这几天): the citizen's words
                return True
            return False
        if slot == "phone" and declines(text):
            st.contact.anonymous, st.contact.phone = True, None
            turn.say(texts.PHONE_DECLINED)
            return True
        if slot == "location" and declines(text):
            d.location_not_applicable, d.location_specific = True, True
            return True
        return False

    def _triage_draft(self, turn: Turn) -> bool:
        """Triage the draft when its text changed, and apply the policies; False ends the turn."""
        st, d = turn.state, turn.state.draft
        assert d is not None
        text = d.text()
        if not text or text == d.triaged_text:
            return True
        result = self._triage(text, d.title)
        d.triage, d.triaged_text = result, text
        turn.triage = result
        if result is None:
            return True
        if isinstance(result.get("emergency"), dict) and result["emergency"]:
            self._hand_over(turn, result["emergency"], keep_draft=False)
            return False
        if isinstance(result.get("redirect"), dict) and result["redirect"]:
            self._redirect(turn, result["redirect"])
            return False
        matter = triage_field(result, "matter_type", "label")
        if (
            matter == MatterType.CONSULTATION.value
            and not d.knowledge_searched
            and set(d.asked) <= {"request"}
            and self.knowledge is not None
        ):
            # A question is answered (or honestly not answered) once, before anything is filed: a
            # close enough article or case, else "nothing directly relevant" rather than a guess.
            # Only a question that opens the conversation: one asked while the details of a
            # complaint are collected (能不能让他们派人来看看？) is part of that complaint.
            hits = self._knowledge_hits(text)
            d.knowledge, d.knowledge_searched = hits, True
            st.phase = Phase.KNOWLEDGE_OFFERED
            turn.say(
                texts.knowledge_answer(hits, question=text) if hits else texts.KNOWLEDGE_NOT_FOUND,
                (Button("帮我登记", "/file_anyway"), Button("不用了", "/deny")),
            )
            turn.record(
                EK.KNOWLEDGE_ANSWER,
                {"hits": [h["id"] for h in hits], "citations": [h.get("citation") for h in hits]},
            )
            return False
        return True

    def _missing(self, st: ConversationState) -> list[str]:
        """Slots still needed, in asking order: required ones and optional ones not yet asked."""
        d, contact = st.draft, st.contact
        if d is None:
            return []
        matter = triage_field(d.triage, "matter_type", "label") or MatterType.COMPLAINT.value
        out = []
        if not d.request:
            out.append("request")
        needs_place = matter not in self.settings.location_optional
        asked_place = d.asked.get("location", 0)
        # asked twice and a district is known, or asked three times: do not press further
        pressed_enough = (d.district and asked_place >= 2) or asked_place >= 3
        if needs_place and not (d.location_specific or d.location_not_applicable or pressed_enough):
            out.append("location")
        if (
            matter in self.settings.time_asked
            and d.incident_time is None
            and not d.incident_time_text
            and (not d.asked.get("incident_time") or d.awaiting == "incident_time")
        ):
            out.append("incident_time")
        if not contact.anonymous and not contact.phone:
            out.append("phone")
        if not (contact.anonymous or contact.name or contact.name_declined) and (
            not d.asked.get("name") or d.awaiting == "name"
        ):
            out.append("name")
        return out

    def _advance(self, turn: Turn, *, keep: str | None = None) -> None:
        """Ask the next missing slot, offer a repeat for linking, or show the summary.

        Args:
            keep: The slot just asked for, when the reply did not answer it: an optional slot is then
                asked once more (the required ones are asked again anyway) instead of being skipped.
        """
        st, d = turn.state, turn.state.draft
        assert d is not None
        d.awaiting = keep if keep in _ASK_AGAIN and d.asked.get(keep, 0) < 2 else None
        missing = self._missing(st)
        if missing:
            slot = missing[0]
            d.awaiting = slot
            d.asked[slot] = d.asked.get(slot, 0) + 1
            st.phase = Phase.COLLECTING
            if slot == "location" and d.district and not d.location_specific:
                turn.say(texts.ask_more_specific_location(d.district))
            else:
                turn.say(texts.QUESTIONS[slot])
            return
        d.awaiting = None
        if not d.repeat_declined:
            found = self._find_repeat(turn)
            if found is not None:
                d.repeat = found
                st.phase = Phase.CONFIRM_REPEAT
                turn.say(
                    texts.repeat_found(found["number"], Status(found["status"]), found["own"]),
                    (Button("合并到该工单", "/affirm"), Button("这是另一件事", "/deny")),
                )
                return
        st.phase = Phase.CONFIRMING
        turn.say(texts.summary(self._summary_lines(st)), YES_NO_BUTTONS)

    def _summary_lines(self, st: ConversationState) -> list[tuple[str, str]]:
        d, c = st.draft, st.contact
        assert d is not None
        request = d.request if len(d.request) <= 150 else d.request[:150] + "……"
        lines = [("诉求", request)]
        if d.facts:
            extra = "；".join(d.facts)
            lines.append(("补充", extra if len(extra) <= 150 else extra[:150] + "……"))
        if d.location_not_applicable:
            lines.append(("地点", "不涉及具体地点"))
        elif d.address or d.district:
            lines.append(("地点", d.address or d.district or ""))
        if d.incident_time_text:
            lines.append(("时间", d.incident_time_text))
        if c.anonymous:
            lines.append(("联系人", "匿名反映（不留联系方式）"))
        else:
            lines.append(("联系人", f"{c.name or '未留姓名'}，电话 {c.phone}"))
            if c.id_number:
                lines.append(("身份证号", mask_id_number(c.id_number)))
        if d.attachments:
            lines.append(("照片/附件", f"{len(d.attachments)} 个链接"))
        category = category_of(d.triage, self.config)
        if category:
            lines.append(("分类", f"{category}（系统初步判断，工作人员会最终确认）"))
        matter = triage_field(d.triage, "matter_type", "label")
        if matter in PETITION_MATTER_TYPES:
            lines.append(
                ("类型", f"信访事项（{texts.MATTER_LABELS[matter]}类），依照《信访工作条例》60日内办结")
            )
        return lines

    def _cancel(self, turn: Turn) -> None:
        st = turn.state
        if st.draft is None:
            turn.say("好的。还有其他需要，随时告诉我。")
            return
        turn.record(EK.CANCELLED, {"draft": st.draft.number})
        st.draft, st.phase = None, Phase.FILED if st.orders else Phase.START
        turn.say(texts.CANCELLED)

    def _reprompt(self, turn: Turn, *, or_welcome: bool = False) -> None:
        """Repeat the pending question so the conversation can go on after an interruption."""
        st = turn.state
        d = st.draft
        if st.phase is Phase.COLLECTING and d is not None and d.awaiting:
            if d.awaiting == "location" and d.district and not d.location_specific:
                turn.say(texts.ask_more_specific_location(d.district))
            else:
                turn.say(texts.QUESTIONS[d.awaiting])
        elif st.phase is Phase.CONFIRMING and d is not None:
            turn.say("信息无误请回复“确认”，需要修改请直接说要改的内容。", YES_NO_BUTTONS)
        elif st.phase is Phase.AWAITING_RATING:
            turn.say(texts.RATING_UNCLEAR, RATING_BUTTONS)
        elif or_welcome:
            turn.say(texts.welcome(self.config.city.name))

    # -- policies -------------------------------------------------------------------------------

    def _emergency(self, text: str) -> dict[str, Any] | None:
        try:
            return self.triage_port.emergency(text)
        except Exception:
            log.exception("emergency check failed")
            return None

    def _triage(self, text: str, title: str) -> dict[str, Any] | None:
        try:
            return self.triage_port.triage(text, title=title or None, now=self._clock())
        except Exception:
            # Triage must never lose a complaint: the order is filed unrouted for the operator.
            log.exception("triage failed; the draft continues without it")
            return None

    def _hand_over(self, turn: Turn, info: dict[str, Any], *, keep_draft: bool) -> None:
        st = turn.state
        if keep_draft and st.draft is not None and st.phase is not Phase.EMERGENCY:
            st.resume_phase = st.phase
        elif not keep_draft:
            st.draft, st.resume_phase = None, None
        st.phase = Phase.EMERGENCY
        st.last_emergency = dict(info)
        turn.triage = turn.triage or {"emergency": dict(info)}
        turn.say(texts.emergency(info))
        turn.record(EK.EMERGENCY_HANDOVER, {**dict(info), "draft_kept": st.draft is not None})

    def _redirect(self, turn: Turn, info: dict[str, Any]) -> None:
        st = turn.state
        st.draft, st.phase, st.last_redirect = None, Phase.REDIRECTED, dict(info)
        turn.say(texts.redirect(info))
        turn.record(
            EK.REDIRECT,
            {k: info.get(k) for k in ("kind", "channel", "citation", "matched") if info.get(k) is not None},
        )

    def _knowledge_hits(self, text: str) -> list[dict[str, Any]]:
        assert self.knowledge is not None
        return answer_hits(self.knowledge, text, self.settings)

    def _find_repeat(self, turn: Turn) -> dict[str, Any] | None:
        st, d = turn.state, turn.state.draft
        assert d is not None
        if self.repeats is None or not d.request:
            return None
        phone = st.contact.phone
        candidates = self.orders.repeat_candidates(phone=phone, district=d.district, address=d.address)
        if not candidates:
            return None
        draft = DraftForRepeat(
            request=d.request,
            facts="\n".join(d.facts),
            phone=phone,
            address=d.address,
            district=d.district,
            category=category_of(d.triage, self.config),
            title=d.title,
        )
        found = self.repeats.find(draft, candidates, now=self._clock())
        if found is None:
            return None
        order = next((c for c in candidates if c.id == found.order_id), None) or self.orders.get(
            found.order_id
        )
        return {
            "order_id": order.id,
            "number": order.number,
            "status": order.status.value,
            "reason": found.reason,
            "score": found.score,
            "own": order.citizen_token == st.session_id,
        }

    def _link_repeat(self, turn: Turn) -> None:
        st, d = turn.state, turn.state.draft
        assert d is not None and d.repeat is not None
        order_id = int(d.repeat["order_id"])
        contact = (
            "匿名"
            if st.contact.anonymous
            else f"{st.contact.name or '市民'} {st.contact.phone or ''}".strip()
        )
        note = (
            f"市民再次反映（在线对话）：{d.text()}\n地点：{d.address or d.district or '—'}；联系人：{contact}"
        )
        try:
            order = self.orders.transition(
                order_id,
                TransitionRequest(
                    action=EventKind.LINK_REPEAT,
                    actor=f"chat:{st.session_id}",
                    actor_role="citizen",
                    reason="同一事项再次反映（并单）",
                    text=note[:20000],
                ),
            )
        except (InvalidTransitionError, NotFoundError):
            d.repeat, d.repeat_declined = None, True  # closed meanwhile: file it as a new order
            self._advance(turn)
            return
        if order.citizen_token != st.session_id and order.id not in st.linked:
            st.linked.append(order.id)
        st.last_order_id = order.id
        turn.last_number = order.number
        turn.triage = d.triage
        turn.record(
            EK.REPEAT_LINKED,
            {"number": order.number, "reason": d.repeat.get("reason"), "score": d.repeat.get("score")},
            order.id,
        )
        st.draft, st.phase = None, Phase.LINKED
        turn.say(texts.repeat_linked(order.number, order.status))

    # -- filing ---------------------------------------------------------------------------------

    def _file(self, turn: Turn) -> None:
        st, d = turn.state, turn.state.draft
        assert d is not None
        if self._missing(st):  # a correction removed something: ask again instead of filing
            self._advance(turn)
            return
        filed = self._as_filed(d)
        try:
            order = self.orders.file(
                new_work_order(st, filed, self.config, routed=True),
                actor=f"chat:{st.session_id}",
                actor_role="citizen",
            )
        except DomainError as err:
            if "department" not in str(err):
                turn.say(texts.FILE_FAILED.format(error=err), YES_NO_BUTTONS)
                return
            # the triage named a department the city lacks: file unrouted, for the catalogue to route
            order = self.orders.file(
                new_work_order(st, filed, self.config, routed=False),
                actor=f"chat:{st.session_id}",
                actor_role="citizen",
            )
        except pydantic.ValidationError as err:
            problem = "；".join(e.get("msg", "") for e in err.errors())
            turn.say(texts.FILE_FAILED.format(error=problem), YES_NO_BUTTONS)
            return
        if order.id not in st.orders:
            st.orders.append(order.id)
        st.last_order_id = order.id
        turn.last_number = order.number
        turn.triage = d.triage
        turn.record(EK.FILED, {"number": order.number, "draft": d.number}, order.id)
        st.draft, st.phase = None, Phase.FILED
        turn.say(
            texts.filed(
                order.number, texts.local(order.deadline_at, self._tz, turn.now), st.contact.anonymous
            )
        )

    @staticmethod
    def _as_filed(d: Draft) -> Draft:
        """The draft as it is filed: a time without a date (一个星期了, 每天晚上, 晚上) kept in the facts.

        The order's time field holds a datetime only; the citizen's words about duration or recurrence
        still tell the department something, so they go into the description instead of being lost.
        """
        if d.incident_time is not None or not d.incident_time_text:
            return d
        return d.model_copy(update={"facts": [*d.facts, f"时间：{d.incident_time_text}"]})

    # -- misc -----------------------------------------------------------------------------------

    def _accepts_foreign(self, st: ConversationState, text: str) -> bool:
        """Latin-script text that is still a valid answer here (ok, yes, a name, a URL, a command)."""
        if parse_command(text) or yes_no(text) or conversational(text):
            return True
        d = st.draft
        if d is not None and d.awaiting == "name" and name_from_answer(text):
            return True
        return bool(re.fullmatch(r"\s*https?://\S+\s*", text))

    def _safe_custom(self, st: ConversationState) -> dict[str, Any]:
        """The custom item after a failed turn; never raises (the reply must still go out)."""
        try:
            return self._custom(st, None)
        except Exception:
            return {"state": st.phase.value, "missing": [], "work_order_id": st.last_order_id, "triage": None}

    def _custom(self, st: ConversationState, turn: Turn | None) -> dict[str, Any]:
        d, c = st.draft, st.contact
        number = turn.last_number if turn else None
        triage = (turn.triage if turn else None) or (d.triage if d else None)
        slots: dict[str, Any] = {
            "name": c.name,
            "phone": mask_phone(c.phone) if c.phone else None,
            "anonymous": c.anonymous,
        }
        if d is not None:
            slots.update(
                request=d.request or None,
                facts=d.facts,
                address=d.address,
                district=d.district,
                incident_time=d.incident_time.isoformat() if d.incident_time else None,
                incident_time_text=d.incident_time_text,
                attachments=d.attachments,
            )
        return {
            "state": st.phase.value,
            "missing": self._missing(st),
            "work_order_id": st.last_order_id,
            "work_order_number": number,
            "orders": list(st.orders),
            "triage": triage,
            "slots": slots,
            "emergency": st.last_emergency if st.phase is Phase.EMERGENCY else None,
            "redirect": st.last_redirect if st.phase is Phase.REDIRECTED else None,
            "repeat_of": d.repeat if d is not None else None,
            "knowledge": d.knowledge if d is not None and st.phase is Phase.KNOWLEDGE_OFFERED else [],
            "session_id": st.session_id,
            "turn": st.turns,
        }
