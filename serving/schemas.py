"""Request and response bodies of the HTTP API (the domain's own schemas live in `workorders.schemas`).

Free text is checked for what databases refuse (NUL characters, unpaired surrogates) here, at the
edge, so that malformed input gets a 422 that says why instead of a database error.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from serving.views import CitizenOrder
from workorders.enums import Channel, EventKind

#: An order by database id or by number (``20261127-000123``).
ORDER_REF_PATTERN = r"^(\d{1,12}|\d{8}-\d{6})$"
ORDER_NUMBER_PATTERN = r"^\d{8}-\d{6}$"


def storable(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired UTF-16 surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode (unpaired surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(storable)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: Characters that carry words (Chinese characters, letters, digits).
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


class CitizenSubmission(_Body):
    """A complaint typed into the citizen page's form (the chat files through the assistant)."""

    text: Annotated[Text, Field(min_length=1, max_length=5000, description="诉求内容")]
    title: Annotated[Text, Field(max_length=200)] = ""
    name: Annotated[Text | None, Field(max_length=100)] = None
    phone: Annotated[Text | None, Field(max_length=32)] = None
    anonymous: bool = False
    address: Annotated[Text | None, Field(max_length=300)] = None
    district: Annotated[Text | None, Field(max_length=100)] = None
    idempotency_key: Annotated[Text | None, Field(max_length=100)] = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the complaint text must not be empty")
        if len(_WORD_CHARS.findall(value)) < 4:
            # "a" or "？？" gives a department nothing to act on; the chat asks, the form must refuse
            raise ValueError("the complaint text is too short: say what happened")
        return value


class StaffSubmission(CitizenSubmission):
    """An operator files a matter taken by phone or at the counter."""

    channel: Channel = Channel.PHONE
    id_number: Annotated[Text | None, Field(max_length=18)] = None
    #: the emergency itself is over or with 110/119/120/122 already (the fire is out, the valve is
    #: shut): file the follow-up for the responsible unit as an urgent (2-hour) order instead of
    #: handing the matter over again
    emergency_handled: bool = False


class IntakeResponse(BaseModel):
    kind: Literal["filed", "repeat", "emergency", "redirect"]
    filed: bool
    message: str
    order: CitizenOrder | None = None


class StaffAction(StrEnum):
    """The actions a client may request (`EventKind` less what the system records itself).

    A separate enum rather than `EventKind` so that the 422 for a bad action, and the OpenAPI
    schema, list only what a client may send: ``filed`` and ``deadline_fallback`` are events the
    service records, never requests.
    """

    RECLASSIFY = EventKind.RECLASSIFY.value
    DISPATCH = EventKind.DISPATCH.value
    SIGN_FOR = EventKind.SIGN_FOR.value
    START_HANDLING = EventKind.START_HANDLING.value
    RETURN = EventKind.RETURN.value
    REASSIGN = EventKind.REASSIGN.value
    SUPPLEMENT = EventKind.SUPPLEMENT.value
    WITHDRAW = EventKind.WITHDRAW.value
    CHASE = EventKind.CHASE.value
    EXTEND = EventKind.EXTEND.value
    SUPERVISE = EventKind.SUPERVISE.value
    REPLY = EventKind.REPLY.value
    RATE = EventKind.RATE.value
    REWORK = EventKind.REWORK.value
    CLOSE = EventKind.CLOSE.value
    LINK_REPEAT = EventKind.LINK_REPEAT.value

    @property
    def kind(self) -> EventKind:
        return EventKind(self.value)


class ActionRequest(_Body):
    """One action on an order; the actor is the signed-in user."""

    action: StaffAction
    reason: Annotated[Text | None, Field(max_length=5000)] = None
    lead_department: Annotated[Text | None, Field(max_length=64)] = None
    assisting_departments: list[Annotated[Text, Field(max_length=64)]] | None = Field(
        default=None, max_length=20
    )
    category: Annotated[Text | None, Field(max_length=50)] = None
    #: with ``reclassify``: the urgency tier; the deadline follows it (an emergency is never an order)
    urgency: Literal["urgent", "expedited", "normal", "petition"] | None = None
    reply_text: Annotated[Text | None, Field(max_length=20000)] = None
    rating: Annotated[int | None, Field(ge=1, le=5)] = None
    amount: Annotated[int | None, Field(gt=0, le=1000)] = None
    text: Annotated[Text | None, Field(max_length=20000)] = None
    related_order_id: Annotated[int | None, Field(ge=1, le=2**53)] = None
    #: with ``reclassify``: accept the routing triage suggested when the order was filed (category,
    #: lead and assisting departments) instead of sending it back; nothing else may be given with it
    accept_suggestion: bool = False

    @model_validator(mode="after")
    def _accept_alone(self) -> ActionRequest:
        if self.accept_suggestion:
            if self.action is not StaffAction.RECLASSIFY:
                raise ValueError("accept_suggestion goes with the reclassify action only")
            if self.category or self.lead_department or self.assisting_departments or self.urgency:
                raise ValueError(
                    "accept_suggestion takes the stored suggestion: leave category and departments out"
                )
        return self


class RatingRequest(_Body):
    rating: Annotated[int, Field(ge=1, le=5, description="1 (very unsatisfied) to 5 (very satisfied)")]
    comment: Annotated[Text | None, Field(max_length=1000)] = None


class LoginRequest(_Body):
    username: Annotated[Text, Field(min_length=1, max_length=64)]
    password: Annotated[Text, Field(min_length=1, max_length=256)]


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: str


class CitizenSessionResponse(BaseModel):
    token: str
    citizen_id: str
    expires_in: int


class Suggestions(BaseModel):
    """What the console shows beside an order: triage suggestions and evidence."""

    category: dict[str, Any] | None
    departments: dict[str, Any] | None
    urgency: dict[str, Any] | None
    evidence_terms: list[str]
    similar_cases: list[dict[str, Any]]
    #: nearest training examples behind the category suggestion (text, label, score)
    neighbours: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    notes: list[str]
