"""The conversational intake assistant (在线智能受理): Chinese dialogue, slot filling, policies, Rasa interop.

`build_dialogue_manager` wires one from settings (or the web app's services); `DialogueManager.handle`
runs a turn. Importing this package loads no model and opens no database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.dialogue import DialogueManager

__all__ = ["build_dialogue_manager"]


def build_dialogue_manager(*args: Any, **kwargs: Any) -> DialogueManager:
    """See `assistant.factory.build_dialogue_manager` (imported lazily to keep this package light)."""
    from assistant.factory import build_dialogue_manager as build

    return build(*args, **kwargs)
