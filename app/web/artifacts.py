"""Artifact bytes over HTTP. Upload: POST /api/v1/artifacts?model=NAME (the raw bytes as the body, of
any size: streamed to the store, never held whole; optional header X-Content-Digest). Download:
GET /api/v1/artifacts/{digest} (streamed). Keys are the content digest, never a client path; both
ask policy, both are audited; reads are verified against the digest.

The upload body is the artifact itself: a form (multipart/form-data or urlencoded), by its
Content-Type or by its first bytes, is refused with 415 rather than stored as if it were the model."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from app.artifacts import STORED_URI
from app.domain import validation as v
from app.errors import IntegrityError, NotFound, RegistryError, UnsupportedMediaType, ValidationFailed
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graph.model_records import Model
from app.registry.actor import RequestMeta
from app.registry.decisions import decide
from app.registry.plan import Plan
from app.services import Services
from app.web.http import error_response, request_meta

log = logging.getLogger(__name__)
FORM_TYPES = ("multipart/", "application/x-www-form-urlencoded")
# What a multipart/form-data body starts with: a boundary line, then a form-data part header.
FORM_ENVELOPE = re.compile(rb"--[^\r\n]{1,200}\r\ncontent-disposition:\s*form-data", re.IGNORECASE)
SNIFF_BYTES = 512
RAW_RULE = "the body must be the artifact's raw bytes (e.g. application/octet-stream), not a form"


def refuse_forms(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media.startswith(FORM_TYPES):
        raise UnsupportedMediaType(f"Content-Type: {media} is not accepted: {RAW_RULE}", field="Content-Type")


async def raw_body(request: Request) -> AsyncIterator[bytes]:
    """The body as it arrives, after its first bytes showed it is not a form envelope."""
    stream = request.stream()
    head = b""
    async for piece in stream:
        head += piece
        if len(head) >= SNIFF_BYTES:
            break
    if FORM_ENVELOPE.match(head):
        raise UnsupportedMediaType(f"body: looks like multipart/form-data: {RAW_RULE}", field="body")

    async def rest() -> AsyncIterator[bytes]:
        if head:
            yield head
        async for piece in stream:
            if piece:
                yield piece

    return rest()


async def _noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
    return {}


async def audit(
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


async def upload_target(services: Services, meta: RequestMeta, request: Request, command: str) -> tuple[str, Model]:
    """The model an upload is for (?model=NAME), once policy allows publishing its artifacts."""
    model = v.name("model", request.query_params.get("model", ""))
    found = await services.repos.core.model_by_name(model)
    if found is None:
        raise NotFound(f"model: no model named {model!r}", field="model")
    resource = {
        "kind": "artifact",
        "id": found.id,
        "name": model,
        "owners": list(found.owners),
        "owner_teams": list(found.owner_teams),
    }
    await decide(services, meta, Plan("publish", resource, _noop), command)
    return model, found


async def upload_artifact(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        meta = request_meta(request)
        refuse_forms(request)
        model, found = await upload_target(services, meta, request, "upload_artifact")
        declared = request.headers.get("x-content-digest")
        expected = v.digest("X-Content-Digest", declared) if declared else None
        try:
            stored = await services.artifacts.put_stream(await raw_body(request), expected)
        except ClientDisconnect:
            # The client went away mid-upload: nothing was stored (the multipart upload is aborted);
            # it may simply send the same bytes again.
            log.warning("upload to %s abandoned by the client; nothing stored", model)
            return Response(status_code=400)
        except IntegrityError as exc:
            raise ValidationFailed(f"X-Content-Digest: {exc.message}", field="X-Content-Digest") from None
        details = {"digest": stored.digest, "size": stored.size}
        await audit(services, meta, "publish:upload_artifact", found.id, "model", details, f"model:{model}")
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
        core = services.repos.core
        version = await core.version_by_digest(digest)
        if version is None:
            raise NotFound("digest: no model version references this artifact", field="digest")
        model = await core.record(version.model_id) if version.model_id else None
        resource = {
            "kind": "model_version",
            "id": version.id,
            "name": version.model_name,
            "version": version.version,
            "owners": list(model.owners) if isinstance(model, Model) else [],
        }
        await decide(services, meta, Plan("read_artifact", resource, _noop), "download_artifact")
        await audit(
            services,
            meta,
            "read_artifact:download_artifact",
            version.id,
            "model_version",
            {"digest": digest},
            f"artifact:{digest}",
        )
        size, pieces = await services.artifacts.open(digest)
    except RegistryError as exc:
        return error_response(exc)
    headers = {"X-Content-Digest": digest, "Content-Length": str(size)}
    return StreamingResponse(pieces, media_type="application/octet-stream", headers=headers)
