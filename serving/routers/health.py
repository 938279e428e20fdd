"""Liveness/readiness (`/healthz`) and Prometheus metrics (`/metrics`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from serving.metrics import CONTENT_TYPE_LATEST
from serving.security import get_services
from serving.services import Services

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Service health: database reachable, state of the NLP components")
def healthz(services: Services = Depends(get_services)) -> JSONResponse:
    body: dict[str, Any] = {"status": "ok", "components": services.component_states()}
    try:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        body["database"] = "ok"
    except Exception as err:
        body.update(status="degraded", database=f"unreachable: {type(err).__name__}")
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(get_services(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)
