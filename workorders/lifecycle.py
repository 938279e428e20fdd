"""The work-order lifecycle as an explicit table of allowed transitions.

intake → dispatch → sign for → handling → reply → callback/rating → closed, plus the side paths the
city regulations require: return of a wrongly routed order (退单) and re-dispatch, reassignment,
supplement (补单), withdrawal (撤单), chasing (催单), extension (延期), supervision (督办) and rework.
Anything not in the table is refused with `InvalidTransitionError`; nothing changes silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from workorders.enums import EventKind, Status
from workorders.errors import InvalidTransitionError

S = Status

#: States in which a department holds the order (it can be returned, reassigned, extended).
_WITH_DEPARTMENT = frozenset({S.DISPATCHED, S.SIGNED_FOR, S.IN_HANDLING})
#: States in which the matter is still being worked on (before the reply).
_BEFORE_REPLY = frozenset({S.ACCEPTED, S.RETURNED}) | _WITH_DEPARTMENT
#: Every non-terminal state.
_OPEN = _BEFORE_REPLY | {S.REPLIED, S.RATED}


@dataclass(frozen=True)
class Transition:
    """Where an action may start, where it leads (None: the state stays), and what it needs."""

    sources: frozenset[Status]
    target: Status | None
    needs_reason: bool = False


TRANSITIONS: dict[EventKind, Transition] = {
    EventKind.DISPATCH: Transition(frozenset({S.ACCEPTED, S.RETURNED}), S.DISPATCHED),
    EventKind.SIGN_FOR: Transition(frozenset({S.DISPATCHED}), S.SIGNED_FOR),
    EventKind.START_HANDLING: Transition(frozenset({S.SIGNED_FOR}), S.IN_HANDLING),
    EventKind.RETURN: Transition(_WITH_DEPARTMENT, S.RETURNED, needs_reason=True),
    EventKind.REASSIGN: Transition(_WITH_DEPARTMENT | {S.RETURNED}, S.DISPATCHED, needs_reason=True),
    EventKind.SUPPLEMENT: Transition(_OPEN, None),
    EventKind.WITHDRAW: Transition(_BEFORE_REPLY, S.WITHDRAWN, needs_reason=True),
    EventKind.CHASE: Transition(_BEFORE_REPLY, None),
    EventKind.EXTEND: Transition(_WITH_DEPARTMENT, None, needs_reason=True),
    EventKind.SUPERVISE: Transition(_OPEN, None, needs_reason=True),
    EventKind.REPLY: Transition(frozenset({S.SIGNED_FOR, S.IN_HANDLING}), S.REPLIED),
    EventKind.RATE: Transition(frozenset({S.REPLIED}), S.RATED),
    EventKind.REWORK: Transition(frozenset({S.REPLIED, S.RATED}), S.IN_HANDLING, needs_reason=True),
    EventKind.CLOSE: Transition(frozenset({S.REPLIED, S.RATED}), S.CLOSED),
    EventKind.LINK_REPEAT: Transition(_OPEN, None),
    EventKind.RECLASSIFY: Transition(frozenset({S.ACCEPTED, S.RETURNED}), None),
}

#: Actions recorded by the system itself, never requested through `transition`.
SYSTEM_ONLY = frozenset({EventKind.FILED, EventKind.DEADLINE_FALLBACK})


def next_status(current: Status, action: EventKind) -> Status:
    """The state after `action`, or `InvalidTransitionError` when it is not allowed from `current`."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise InvalidTransitionError(
            f"{action.value!r} is not an action that can be requested", action=action.value
        )
    if current not in rule.sources:
        allowed = tuple(sorted(s.value for s in rule.sources))
        raise InvalidTransitionError(
            f"cannot {action.value} an order that is {current.value} (allowed from: {', '.join(allowed)})",
            action=action.value,
            current=current.value,
            allowed_from=allowed,
        )
    return rule.target or current


def allowed_actions(current: Status) -> list[EventKind]:
    """Actions allowed in `current`, in table order (for consoles and API hints)."""
    return [action for action, rule in TRANSITIONS.items() if current in rule.sources]
