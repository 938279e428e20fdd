"""Knowledge-base search (regulation articles and past cases with their replies), for staff."""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from serving.accounts import Role
from serving.errors import ServiceUnavailable
from serving.security import StaffPrincipal, get_services, require_staff
from serving.suggestions import hit_to_dict

router = APIRouter(prefix="/api/knowledge", tags=["knowledge"])
log = logging.getLogger("intake.knowledge")


@router.get("/search", summary="Search regulation articles and past cases")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="the question or complaint text")],
    kind: Annotated[Literal["regulation", "case"] | None, Query()] = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    category: Annotated[str | None, Query(max_length=50)] = None,
    _: StaffPrincipal = Depends(require_staff(Role.OPERATOR, Role.TRAINER)),
) -> dict[str, Any]:
    services = get_services(request)
    kb = services.knowledge_base
    if kb is None:
        raise ServiceUnavailable(f"the knowledge base is not available ({services.knowledge_slot.error})")
    query = q.replace("\x00", " ").strip()
    if not query:
        return {"query": q, "hits": []}
    hits = kb.search(query, kind=kind, k=k, category=category)
    return {"query": query, "hits": [hit_to_dict(h) for h in hits]}
