"""Input and output schemas of the work-order domain, kept apart from the storage rows.

`NewWorkOrder` is what a channel (chat, phone, Open311, API) hands in; `WorkOrderRead` is what any
reader gets back. Field validators turn malformed input into clear errors before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workorders.enums import Channel, EventKind, MatterType, RedirectKind, Status, UrgencyTier
from workorders.errors import ValidationError
from workorders.validation import normalise_phone, validate_id_number


class CitizenIn(BaseModel):
    """Who raised the matter. Anonymous citizens may leave name and phone empty."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=100)
    phone: str | None = None
    id_number: str | None = None
    anonymous: bool = False

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            return normalise_phone(value)
        except ValidationError as err:
            raise ValueError(str(err)) from None

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            return validate_id_number(value)
        except ValidationError as err:
            raise ValueError(str(err)) from None

    @model_validator(mode="after")
    def _reachable(self) -> CitizenIn:
        if not self.anonymous and not self.phone:
            raise ValueError("a phone number is required unless the citizen is anonymous")
        if self.anonymous:
            # 匿名 means no one learns who it was, staff included: details typed anyway are not kept
            self.name = self.phone = self.id_number = None
        return self


class NewWorkOrder(BaseModel):
    """A matter to file. The request and facts follow 信访工作条例 Art. 19 (请求、事实、理由)."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = Channel.API
    citizen: CitizenIn
    citizen_token: str | None = Field(default=None, max_length=64)
    title: str = Field(default="", max_length=200)
    request: str = Field(min_length=1, max_length=20000)
    facts: str = Field(default="", max_length=20000)
    address: str | None = Field(default=None, max_length=300)
    district: str | None = Field(default=None, max_length=100)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    incident_time: dt.datetime | None = None
    #: when it happened in the citizen's words (每天晚上, 昨天晚上（11月24日 21:00 左右）): a recurring or
    #: vague time has no datetime, and a day-precise one would otherwise read as midnight
    incident_time_text: str | None = Field(default=None, max_length=100)
    category: str | None = None
    topic: str | None = None
    lead_department: str | None = None
    assisting_departments: list[str] = Field(default_factory=list)
    urgency: UrgencyTier = UrgencyTier.NORMAL
    matter_type: MatterType = MatterType.COMPLAINT
    attachments: list[str] = Field(default_factory=list, max_length=20)
    triage: dict[str, Any] | None = None
    idempotency_key: str | None = Field(default=None, max_length=128)

    @field_validator("request")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the request must not be empty")
        return value.strip()

    @field_validator("urgency")
    @classmethod
    def _no_emergency(cls, value: UrgencyTier) -> UrgencyTier:
        if value is UrgencyTier.EMERGENCY:
            raise ValueError("emergencies are handed over to 110/119/120/122, not filed as 12345 orders")
        return value

    @field_validator("incident_time")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("incident_time must carry a time zone")
        return value

    @field_validator("attachments")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"attachment {url!r} is not an http(s) URL")
        return value


class EventRead(BaseModel):
    """One entry of the order's event log."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: EventKind
    from_status: Status | None
    to_status: Status | None
    actor: str
    actor_role: str
    reason: str | None
    data: dict[str, Any]
    created_at: dt.datetime


class WorkOrderRead(BaseModel):
    """A work order as any reader sees it (masking for public views happens in the HTTP layer)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    channel: Channel
    status: Status
    citizen_name: str | None
    citizen_phone: str | None
    citizen_id_number: str | None
    anonymous: bool
    citizen_token: str | None
    title: str
    request: str
    facts: str
    address: str | None
    district: str | None
    latitude: float | None
    longitude: float | None
    incident_time: dt.datetime | None
    incident_time_text: str | None = None
    category: str | None
    topic: str | None
    lead_department: str | None
    assisting_departments: list[str]
    urgency: UrgencyTier
    matter_type: MatterType
    deadline_at: dt.datetime | None
    deadline_fallback: bool
    extended_amount: int
    redirect_kind: RedirectKind | None
    redirect_note: str | None
    repeat_of_id: int | None
    merged_into_id: int | None
    repeat_count: int
    chase_count: int
    unsatisfied_count: int
    return_count: int
    supervised: bool
    rating: int | None
    reply_text: str | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    triage: dict[str, Any] | None
    attachments: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime

    def is_overdue(self, now: dt.datetime) -> bool:
        """Past its deadline and not yet replied, closed or withdrawn."""
        pending = self.status not in (Status.REPLIED, Status.RATED, Status.CLOSED, Status.WITHDRAWN)
        return pending and self.deadline_at is not None and now > self.deadline_at


class TransitionRequest(BaseModel):
    """An action on an order; `data` carries what the action needs (department, reply, rating...)."""

    model_config = ConfigDict(extra="forbid")

    action: EventKind
    actor: str = Field(min_length=1, max_length=100)
    actor_role: str = Field(default="operator", max_length=32)
    reason: str | None = Field(default=None, max_length=5000)
    lead_department: str | None = None
    assisting_departments: list[str] | None = None
    category: str | None = None
    #: with `reclassify`: the operator's urgency tier (a petition, a safety follow-up the rules missed);
    #: the deadline is worked out again from the time the order was accepted
    urgency: UrgencyTier | None = None
    reply_text: str | None = Field(default=None, max_length=20000)
    rating: int | None = Field(default=None, ge=1, le=5)

    @field_validator("urgency")
    @classmethod
    def _not_an_emergency(cls, value: UrgencyTier | None) -> UrgencyTier | None:
        if value is UrgencyTier.EMERGENCY:
            raise ValueError("an emergency is handed over to 110/119/120/122, not kept as an order")
        return value

    #: with `rate`: whether the citizen says the matter itself was resolved (解决率 vs 满意率)
    resolved: bool | None = None
    amount: int | None = Field(default=None, gt=0)
    text: str | None = Field(default=None, max_length=20000)
    related_order_id: int | None = None
