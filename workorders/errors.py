"""Domain errors.

Every rule the domain enforces raises one of these; the HTTP layer maps each class to a status code
in one place (`serving.errors`) and the CLI prints its message. None of them is ever swallowed into a
silent change.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a request that the domain refuses, with a message fit to show a user."""

    code = "domain_error"


class NotFoundError(DomainError):
    """The order (or other record) does not exist."""

    code = "not_found"


class InvalidTransitionError(DomainError):
    """The action is not allowed in the order's current state.

    Carries the action, the current state and the states it is allowed from (as plain values), so
    that pages can say the same thing in Chinese without parsing the English message.
    """

    code = "invalid_transition"

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        current: str | None = None,
        allowed_from: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.action = action
        self.current = current
        self.allowed_from = allowed_from


class ValidationError(DomainError):
    """Input that breaks a domain rule (a malformed phone number, an unknown department...)."""

    code = "validation_error"


class ExtensionLimitError(DomainError):
    """An extension (延期) beyond what the regulations allow."""

    code = "extension_limit"


class ConfigError(DomainError):
    """The city config is invalid; the message names the bad key."""

    code = "config_error"


class PermissionDeniedError(DomainError):
    """The caller may not do this (wrong role, or another citizen's order)."""

    code = "permission_denied"
