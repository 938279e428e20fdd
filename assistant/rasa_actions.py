"""A Rasa action server (rasa-sdk) that lets an existing Rasa assistant use our triage, knowledge base and filing.

Actions (names as in the sample domain, ``rasa_example/domain.yml``):

- ``action_triage``: triages the latest message; hands emergencies over and explains redirects;
  sets ``triage``, ``category``, ``urgency``, ``matter_type``, ``emergency_number``, ``redirect_kind``.
- ``action_search_knowledge``: answers from regulations and past cases, with the citation; sets
  ``kb_answer_found``.
- ``action_file_work_order``: files the complaint form's slots as a work order owned by the
  conversation (``sender_id``); sets ``work_order_number`` and ``work_order_id``.
- ``validate_complaint_form``: a `FormValidationAction` that validates and normalises the form's
  slots with the same extractors as our own dialogue (addresses, relative times, phone numbers,
  anonymity), and drops ``phone``/``citizen_name`` from the form when the citizen stays anonymous.

Components are built on the first request (models load once), and the blocking work runs in a
worker thread so the server's event loop stays responsive.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import texts
from assistant.address import AddressParser
from assistant.dialogue import DialogueManager
from assistant.extract import complaint_text, substantive, title_of
from assistant.filing import category_of, matter_type_of, triage_field, urgency_of
from assistant.knowledge import answer_hits
from assistant.options import AssistantConfig
from assistant.ports import KnowledgePort, TriagePort
from assistant.slots import declines, find_phone, find_urls, name_from_answer, wants_anonymity
from assistant.store import ConversationEvent, ConversationEventKind, ConversationStore
from assistant.text_input import InputProblem, clean_message
from assistant.timeparse import describe_time, parse_incident_time
from workorders.config import CityConfig
from workorders.enums import Channel
from workorders.errors import DomainError
from workorders.schemas import CitizenIn, NewWorkOrder
from workorders.service import WorkOrderService

EK = ConversationEventKind


@dataclass
class ActionComponents:
    """What the actions use; built once by the provider given to `build_action_executor`."""

    triage: TriagePort
    orders: WorkOrderService
    store: ConversationStore
    config: CityConfig
    knowledge: KnowledgePort | None = None
    clock: Callable[[], dt.datetime] | None = None
    assistant_config: AssistantConfig | None = None

    def __post_init__(self) -> None:
        self.parser = AddressParser(self.config.city.name, self.config.city.districts)
        self.settings = self.assistant_config or AssistantConfig()

    def now(self) -> dt.datetime:
        moment = self.clock() if self.clock else dt.datetime.now(dt.UTC)
        return moment.astimezone(self.orders.deadlines.timezone)

    @classmethod
    def from_dialogue_manager(cls, manager: DialogueManager) -> ActionComponents:
        """Reuse the components of a dialogue manager (same database, models and index)."""
        return cls(
            triage=manager.triage_port,
            orders=manager.orders,
            store=manager.store,
            config=manager.config,
            knowledge=manager.knowledge,
            clock=manager._clock,
            assistant_config=manager.settings,
        )


class _Lazy:
    """Builds the components on first use, once, even under concurrent first requests."""

    def __init__(self, provider: Callable[[], ActionComponents]) -> None:
        self._provider = provider
        self._value: ActionComponents | None = None
        self._lock = threading.Lock()

    def get(self) -> ActionComponents:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._provider()
        return self._value


def citizen_token(sender_id: str) -> str:
    """The conversation id as an order owner token (at most 64 characters, as the order column)."""
    if len(sender_id) <= 64:
        return sender_id
    return "rasa:" + hashlib.sha256(sender_id.encode()).hexdigest()[:40]


def _part(triage: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    value = (triage or {}).get(key)
    return value if isinstance(value, dict) and value else None


def _latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


class _IntakeAction(Action):
    """Base: holds the lazy components and runs the blocking body in a worker thread."""

    action_name = ""

    def __init__(self, components: _Lazy) -> None:
        self._components = components

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.run_sync, self._components.get(), dispatcher, tracker, domain)

    def run_sync(
        self, c: ActionComponents, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        raise NotImplementedError


class ActionTriage(_IntakeAction):
    """Triage the latest message (or the ``complaint`` slot) and apply the emergency/redirect policies."""

    action_name = "action_triage"

    def run_sync(
        self, c: ActionComponents, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = clean_message(
            tracker.get_slot("complaint") or _latest_text(tracker), max_chars=c.settings.max_message_chars
        ).text
        if not text:
            return []
        emergency = c.triage.emergency(text)
        result = c.triage.triage(text, title=title_of(text), now=c.now())
        emergency = emergency or _part(result, "emergency")
        redirect = _part(result, "redirect")
        sender = tracker.sender_id
        if emergency:
            dispatcher.utter_message(text=texts.emergency(emergency))
            c.store.record(sender, ConversationEvent(EK.EMERGENCY_HANDOVER, {**emergency, "via": "rasa"}))
        elif redirect:
            dispatcher.utter_message(text=texts.redirect(redirect))
            c.store.record(
                sender,
                ConversationEvent(
                    EK.REDIRECT,
                    {k: redirect.get(k) for k in ("kind", "channel", "citation")} | {"via": "rasa"},
                ),
            )
        abstained = triage_field(result, "category", "abstained")
        return [
            SlotSet("triage", result),
            SlotSet("category", None if abstained else triage_field(result, "category", "label")),
            SlotSet("urgency", triage_field(result, "urgency", "tier")),
            SlotSet("matter_type", triage_field(result, "matter_type", "label")),
            SlotSet("emergency_number", emergency.get("number") if emergency else None),
            SlotSet("redirect_kind", redirect.get("kind") if redirect else None),
        ]


class ActionSearchKnowledge(_IntakeAction):
    """Answer a consultation from the knowledge base, citing the article or the past case."""

    action_name = "action_search_knowledge"

    def run_sync(
        self, c: ActionComponents, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        query = clean_message(_latest_text(tracker), max_chars=c.settings.max_message_chars).text
        if not query or c.knowledge is None:
            return [SlotSet("kb_answer_found", False)]
        hits = answer_hits(c.knowledge, query, c.settings)
        if not hits:
            dispatcher.utter_message(text=texts.KNOWLEDGE_NOT_FOUND)
            return [SlotSet("kb_answer_found", False)]
        dispatcher.utter_message(text=texts.knowledge_answer(hits, question=query))
        c.store.record(
            tracker.sender_id,
            ConversationEvent(EK.KNOWLEDGE_ANSWER, {"hits": [h["id"] for h in hits], "via": "rasa"}),
        )
        return [SlotSet("kb_answer_found", True), SlotSet("kb_citation", hits[0].get("citation"))]


class ActionFileWorkOrder(_IntakeAction):
    """File the complaint form as a work order owned by the conversation."""

    action_name = "action_file_work_order"

    def run_sync(
        self, c: ActionComponents, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        complaint = str(tracker.get_slot("complaint") or "").strip()
        if not complaint:
            dispatcher.utter_message(text=texts.QUESTIONS["request"])
            return []
        triage = tracker.get_slot("triage")
        if not isinstance(triage, dict) or not triage:
            triage = c.triage.triage(complaint, title=title_of(complaint), now=c.now())
        if emergency := _part(triage, "emergency"):
            dispatcher.utter_message(text=texts.emergency(emergency))
            return []
        if redirect := _part(triage, "redirect"):
            dispatcher.utter_message(text=texts.redirect(redirect))
            return []
        anonymous = bool(tracker.get_slot("anonymous"))
        phone = None if anonymous else tracker.get_slot("phone")
        incident = tracker.get_slot("incident_time")
        try:
            incident_time = dt.datetime.fromisoformat(incident) if isinstance(incident, str) else None
        except ValueError:
            incident_time = None
        photo = tracker.get_slot("photo_url")
        known = {d.code for d in c.config.departments}
        lead = (_part(triage, "departments") or {}).get("lead")
        token = citizen_token(tracker.sender_id)
        digest = hashlib.sha256(complaint.encode()).hexdigest()[:16]
        try:
            name = tracker.get_slot("citizen_name")
            order = c.orders.file(
                NewWorkOrder(
                    channel=Channel.WEB_CHAT,
                    citizen=CitizenIn(
                        name=None if anonymous or name in (None, "未提供") else str(name)[:100],
                        phone=phone,
                        anonymous=anonymous,
                    ),
                    citizen_token=token,
                    title=title_of(complaint),
                    request=complaint[:20000],
                    address=(tracker.get_slot("address") or None),
                    district=(tracker.get_slot("district") or None),
                    incident_time=incident_time,
                    category=category_of(triage, c.config),
                    lead_department=lead if lead in known else None,
                    urgency=urgency_of(triage),
                    matter_type=matter_type_of(triage),
                    attachments=[photo]
                    if isinstance(photo, str) and photo.startswith(("http://", "https://"))
                    else [],
                    triage=triage,
                    idempotency_key=f"rasa:{token}:{digest}",
                ),
                actor=f"rasa:{token}",
                actor_role="citizen",
            )
        except (DomainError, pydantic.ValidationError) as err:
            dispatcher.utter_message(text=texts.FILE_FAILED.format(error=str(err).splitlines()[0]))
            return []
        c.store.record(
            tracker.sender_id, ConversationEvent(EK.FILED, {"number": order.number, "via": "rasa"}, order.id)
        )
        deadline = texts.local(order.deadline_at, c.orders.deadlines.timezone)
        dispatcher.utter_message(text=texts.filed(order.number, deadline, anonymous))
        return [SlotSet("work_order_number", order.number), SlotSet("work_order_id", order.id)]


class ValidateComplaintForm(FormValidationAction):
    """Validates the ``complaint_form`` slots with the assistant's own extractors."""

    def __init__(self, components: _Lazy) -> None:
        self._components = components

    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("anonymous"):
            return [s for s in domain_slots if s not in ("phone", "citizen_name")]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await asyncio.to_thread(self._components.get)  # load models outside the event loop
        return await super().run(dispatcher, tracker, domain)

    def validate_complaint(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        c = self._components.get()
        clean = clean_message(str(value or ""), max_chars=c.settings.max_message_chars)
        if clean.problem is not None and clean.problem is not InputProblem.FOREIGN:
            dispatcher.utter_message(text=_problem_text(clean.problem, clean.original_length, c))
            return {"complaint": None}
        emergency = c.triage.emergency(clean.text)
        if emergency:
            dispatcher.utter_message(text=texts.emergency(emergency))
            c.store.record(
                tracker.sender_id, ConversationEvent(EK.EMERGENCY_HANDOVER, {**emergency, "via": "rasa"})
            )
            return {"complaint": None, "emergency_number": emergency.get("number")}
        phone = find_phone(clean.text)
        urls = find_urls(clean.text)
        body = complaint_text(clean.text, phone, urls)
        if not substantive(body):
            dispatcher.utter_message(text=texts.QUESTIONS["request"])
            return {"complaint": None}
        out: dict[str, Any] = {"complaint": body}
        # Prefill what the complaint already says, so the form does not ask for it again.
        location = c.parser.parse(clean.text)
        if location is not None and location.specific and not tracker.get_slot("address"):
            out.update(address=location.address, district=location.district)
        when = parse_incident_time(clean.text, c.now())
        if when is not None and not tracker.get_slot("incident_time"):
            out.update(
                incident_time=when.at.isoformat() if when.at else "ongoing",
                incident_time_text=describe_time(when),
            )
        if phone is not None and not tracker.get_slot("phone"):
            out["phone"] = phone.number
        if wants_anonymity(clean.text):
            out["anonymous"] = True
        if urls and not tracker.get_slot("photo_url"):
            out["photo_url"] = urls[0]
        return out

    def validate_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        c = self._components.get()
        location = c.parser.parse_answer(clean_message(str(value or ""), max_chars=300).text)
        if location is None:
            dispatcher.utter_message(text=texts.QUESTIONS["location"])
            return {"address": None}
        if location.not_applicable:
            return {"address": "不涉及具体地点", "district": None}
        if not location.specific:
            dispatcher.utter_message(text=texts.ask_more_specific_location(location.district or ""))
            return {"address": None, "district": location.district}
        return {"address": location.address, "district": location.district}

    def validate_incident_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        c = self._components.get()
        text = str(value or "")
        try:  # already normalised (prefilled from the complaint)
            dt.datetime.fromisoformat(text)
            return {"incident_time": text}
        except ValueError:
            pass
        if text == "ongoing":
            return {"incident_time": text}
        when = parse_incident_time(text, c.now())
        if when is None:
            return {"incident_time": "unknown", "incident_time_text": text[:50] or "记不清具体时间"}
        return {
            "incident_time": when.at.isoformat() if when.at else "ongoing",
            "incident_time_text": describe_time(when),
        }

    def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if wants_anonymity(text) or declines(text):
            return {"phone": None, "anonymous": True, "citizen_name": None}
        phone = find_phone(text)
        if phone is None:
            dispatcher.utter_message(text=texts.BAD_PHONE)
            return {"phone": None}
        return {"phone": phone.number, "anonymous": False}

    def validate_citizen_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if declines(text):
            return {"citizen_name": "未提供"}
        return {"citizen_name": name_from_answer(text) or "未提供"}


def _problem_text(problem: InputProblem, length: int, c: ActionComponents) -> str:
    return {
        InputProblem.EMPTY: texts.INPUT_EMPTY,
        InputProblem.MARKUP_ONLY: texts.INPUT_MARKUP,
        InputProblem.EMOJI_ONLY: texts.INPUT_EMOJI,
        InputProblem.FOREIGN: texts.INPUT_FOREIGN,
        InputProblem.TOO_LONG: texts.input_too_long(length, c.settings.max_message_chars),
    }[problem]


def build_action_executor(provider: Callable[[], ActionComponents]) -> ActionExecutor:
    """An executor with our four actions registered, sharing components built lazily by `provider`."""
    components = _Lazy(provider)
    executor = ActionExecutor()
    for action in (
        ActionTriage(components),
        ActionSearchKnowledge(components),
        ActionFileWorkOrder(components),
        ValidateComplaintForm(components),
    ):
        executor.register_action(action)
    return executor


def create_action_app(
    provider: Callable[[], ActionComponents],
    *,
    cors_origins: str | list[str] = "*",
    token: str | None = None,
) -> Any:
    """The Sanic app of the action server (``POST /webhook``, ``GET /health``, ``GET /actions``).

    Args:
        provider: builds the components on the first request.
        cors_origins: allowed CORS origins.
        token: shared secret. When set, every route but ``/health`` needs it, either as the
            ``token`` query parameter (what Rasa sends for ``action_endpoint.token`` in
            endpoints.yml) or as ``Authorization: Bearer <token>``; the webhook files work orders,
            so it must not be open to anyone who can reach the port.
    """
    from rasa_sdk.endpoint import create_app
    from sanic.response import json as json_response

    app = create_app(build_action_executor(provider), cors_origins=cors_origins)
    if token:

        @app.on_request
        async def require_token(request: Any) -> Any:
            if request.path == "/health" or request.method == "OPTIONS":
                return None
            if token_matches(token, request.args.get("token"), request.headers.get("authorization")):
                return None
            return json_response({"error": "missing or wrong action server token"}, status=401)

    return app


def token_matches(expected: str, query_token: str | None, authorization: str | None) -> bool:
    """Whether a request carries the action server's token (constant-time comparison)."""
    offered = query_token or ""
    if not offered and authorization and authorization.lower().startswith("bearer "):
        offered = authorization[7:].strip()
    return bool(offered) and hmac.compare_digest(offered.encode(), expected.encode())
