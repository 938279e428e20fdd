"""Models and training for trainers: labelled data import, training jobs, versions, promote, roll back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from serving.accounts import Role
from serving.errors import ServiceUnavailable
from serving.labelled_import import allowed_labels, import_examples, parse_examples
from serving.protocols import ModelRegistry
from serving.security import StaffPrincipal, get_services, require_staff
from serving.services import Services
from workorders.errors import NotFoundError

router = APIRouter(prefix="/api", tags=["models"])
trainer = require_staff(Role.TRAINER)

Head = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Version = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]


class PromoteRequest(BaseModel):
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class TrainRequest(BaseModel):
    head: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")


def registry_of(services: Services) -> ModelRegistry:
    registry = services.registry
    if registry is None:
        raise ServiceUnavailable(f"the model registry is not available ({services.registry_slot.error})")
    return registry


def _check_head(registry: ModelRegistry, head: str) -> None:
    if head not in registry.heads():
        raise NotFoundError(f"no model head {head!r} (one of {', '.join(registry.heads())})")


def models_overview(services: Services) -> dict[str, Any]:
    registry = registry_of(services)
    counts = services.training.example_counts()
    heads = []
    for head in registry.heads():
        versions = registry.versions(head)
        heads.append(
            {
                "head": head,
                "active": next((v.version for v in versions if v.active), None),
                "versions": [v.__dict__ for v in versions],
                "examples": counts.get(head, {}),
                "can_roll_back": registry.can_roll_back(head),
            }
        )
    return {"heads": heads}


@router.get(
    "/models", summary="Model heads, their versions with evaluation metrics, and labelled data counts"
)
def list_models(request: Request, _: StaffPrincipal = Depends(trainer)) -> dict[str, Any]:
    return models_overview(get_services(request))


@router.get(
    "/models/{head}/{version}/confusion.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
    summary="Confusion matrix of a version on the evaluation set",
)
def confusion_png(
    head: Head, version: Version, request: Request, _: StaffPrincipal = Depends(trainer)
) -> Response:
    registry = registry_of(get_services(request))
    _check_head(registry, head)
    png = registry.confusion_matrix_png(head, version)
    if png is None:
        raise NotFoundError(f"no confusion matrix for {head} {version}")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


def promote(services: Services, head: str, version: str, principal: StaffPrincipal) -> dict[str, Any]:
    registry = registry_of(services)
    _check_head(registry, head)
    registry.promote(head, version)  # the triager notices the new active version by itself
    return {"head": head, "active": version, "by": principal.name}


def rollback(services: Services, head: str, principal: StaffPrincipal) -> dict[str, Any]:
    registry = registry_of(services)
    _check_head(registry, head)
    active = registry.rollback(head)
    return {"head": head, "active": active, "by": principal.name}


@router.post("/models/{head}/promote", summary="Make a version the active one")
def promote_route(
    head: Head, body: PromoteRequest, request: Request, principal: StaffPrincipal = Depends(trainer)
) -> dict[str, Any]:
    return promote(get_services(request), head, body.version, principal)


@router.post("/models/{head}/rollback", summary="Reactivate the previously active version")
def rollback_route(
    head: Head, request: Request, principal: StaffPrincipal = Depends(trainer)
) -> dict[str, Any]:
    return rollback(get_services(request), head, principal)


async def import_upload(services: Services, head: str, upload: UploadFile) -> dict[str, Any]:
    registry = registry_of(services)
    _check_head(registry, head)
    data = await upload.read()
    examples = parse_examples(data, upload.filename or "upload.csv", head)
    labels = allowed_labels(head, services.config, registry.labels(head))
    result = import_examples(services.sessions, head, examples, labels, now=services.clock())
    return {
        "head": head,
        "imported": sum(result.counts.values()),
        "skipped_duplicates": result.skipped,
        "conflicting_labels": result.conflicts,
        "by_label": dict(result.counts),
    }


@router.post("/training/examples", summary="Import labelled examples (CSV text,label[,title] or JSON lines)")
async def import_route(
    request: Request,
    head: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,31}$")],
    file: Annotated[UploadFile, File(description="CSV or JSONL, UTF-8")],
    _: StaffPrincipal = Depends(trainer),
) -> dict[str, Any]:
    return await import_upload(get_services(request), head, file)


@router.post("/training/jobs", status_code=202, summary="Train a new version of a head in the background")
def start_job(
    body: TrainRequest, request: Request, principal: StaffPrincipal = Depends(trainer)
) -> dict[str, Any]:
    services = get_services(request)
    registry_of(services)
    return services.training.start(body.head, principal.name).as_dict()


@router.get("/training/jobs", summary="Training jobs of this process, newest first")
def list_jobs(request: Request, _: StaffPrincipal = Depends(trainer)) -> list[dict[str, Any]]:
    return [j.as_dict() for j in get_services(request).training.list()]


@router.get("/training/jobs/{job_id}", summary="A training job's state and progress (poll it)")
def get_job(
    job_id: Annotated[str, Path(pattern=r"^[0-9a-f]{1,32}$")],
    request: Request,
    _: StaffPrincipal = Depends(trainer),
) -> dict[str, Any]:
    job = get_services(request).training.get(job_id)
    if job is None:
        raise NotFoundError(f"no training job {job_id}")
    return job.as_dict()
