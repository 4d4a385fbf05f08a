"""Artifact bytes over HTTP. Upload: POST /api/v1/artifacts?model=NAME (raw body; optional header
X-Content-Digest). Download: GET /api/v1/artifacts/{digest}. Keys are the content digest, never a
client path; both ask policy, both are audited; reads are verified against the digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.domain import validation as v
from app.errors import IntegrityError, NotFound, RegistryError, ValidationFailed
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.core_reads import CoreReader
from app.registry.actor import RequestMeta
from app.registry.execute import Plan, decide
from app.services import Services
from app.web.http import error_response, request_meta

STORED_URI = "modelgraph://artifacts/"


async def _noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
    return {}


async def _audit(
    services: Services,
    meta: RequestMeta,
    action: str,
    target: str | None,
    kind: str,
    details: dict[str, Any],
    stream: str,
) -> None:
    """An audit event that must be written (raises if it cannot be) before the bytes move."""
    record = AuditRecord(
        actor=meta.actor.name,
        action=action,
        target_id=target,
        target_kind=kind,
        decision="allowed",
        request_id=meta.request_id,
        details={**details, **meta.audit_details()},
        stream=stream,
    )
    await unit.write(services.driver, services.settings.neo4j_database, _noop, record)


async def upload_artifact(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        meta = request_meta(request)
        model = v.name("model", request.query_params.get("model", ""))
        found = await CoreReader(services.driver, services.settings.neo4j_database).model_by_name(model)
        if found is None:
            raise NotFound(f"model: no model named {model!r}", field="model")
        resource = {
            "kind": "artifact",
            "id": found.id,
            "name": model,
            "owners": found.get("owners") or [],
            "owner_teams": found.get("owner_teams") or [],
        }
        await decide(services, meta, Plan("publish", resource, _noop), "upload_artifact")
        declared = request.headers.get("x-content-digest")
        expected = v.digest("X-Content-Digest", declared) if declared else None
        try:
            stored = await services.artifacts.put(await request.body(), expected)
        except IntegrityError as exc:
            raise ValidationFailed(f"X-Content-Digest: {exc.message}", field="X-Content-Digest") from None
        details = {"digest": stored.digest, "size": stored.size}
        await _audit(services, meta, "publish:upload_artifact", found.id, "model", details, f"model:{model}")
    except RegistryError as exc:
        return error_response(exc)
    return JSONResponse(
        {"digest": stored.digest, "size": stored.size, "uri": STORED_URI + stored.digest}, status_code=201
    )


async def download_artifact(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        meta = request_meta(request)
        digest = v.digest("digest", request.path_params["digest"])
        core = CoreReader(services.driver, services.settings.neo4j_database)
        version = await core.version_by_digest(digest)
        if version is None:
            raise NotFound("digest: no model version references this artifact", field="digest")
        model = await core.node(str(version.get("model_id")))
        owners = model.get("owners") if model else []
        resource = {
            "kind": "model_version",
            "id": version.id,
            "name": version.get("model_name"),
            "version": version.get("version"),
            "owners": owners or [],
        }
        await decide(services, meta, Plan("read_artifact", resource, _noop), "download_artifact")
        await _audit(
            services,
            meta,
            "read_artifact:download_artifact",
            version.id,
            "model_version",
            {"digest": digest},
            f"artifact:{digest}",
        )
        data = await services.artifacts.get(digest)
    except RegistryError as exc:
        return error_response(exc)
    return Response(data, media_type="application/octet-stream", headers={"X-Content-Digest": digest})
