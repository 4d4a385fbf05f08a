"""POST /api/v1/artifacts/manifests?model=NAME: a model directory as one artifact. The body lists
the files already uploaded (`{"files": [{"path", "digest", "size"?}]}`); each must be stored, with
the size declared; the canonical manifest is stored like any artifact and its digest names the
directory (see app/domain/directory.py). Asks policy and is audited like an upload."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.artifacts import STORED_URI
from app.domain import directory
from app.errors import NotFound, RegistryError, ValidationFailed
from app.services import Services
from app.web.artifacts import audit, upload_target
from app.web.http import error_response, json_object, request_meta


async def upload_manifest(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        meta = request_meta(request)
        model, found = await upload_target(services, meta, request, "upload_artifact_manifest")
        entries = await _stored_files(services, directory.requested(await json_object(request)))
        stored = await services.artifacts.put(directory.canonical(entries))
        total = sum(e.size for e in entries)
        details = {"digest": stored.digest, "size": stored.size, "files": len(entries), "total_size": total}
        await audit(services, meta, "publish:upload_artifact_manifest", found.id, "model", details, f"model:{model}")
    except RegistryError as exc:
        return error_response(exc)
    body = {
        "digest": stored.digest,
        "size": stored.size,
        "uri": STORED_URI + stored.digest,
        "format": directory.FORMAT,
        "files": len(entries),
        "totalSize": total,
    }
    return JSONResponse(body, status_code=201)


async def _stored_files(services: Services, files: list[tuple[str, str, int | None]]) -> list[directory.FileEntry]:
    """Every listed file is in the store with the size declared (an omitted size is the stored one)."""
    entries = []
    for index, (path, digest, declared) in enumerate(files):
        try:
            size = await services.artifacts.size(digest)
        except NotFound:
            where = f"files[{index}].digest"
            raise ValidationFailed(
                f"{where}: no stored artifact has this digest; upload it first", field=where
            ) from None
        if declared is not None and declared != size:
            where = f"files[{index}].size"
            raise ValidationFailed(f"{where}: declared {declared} bytes, but {digest} has {size}", field=where)
        entries.append(directory.FileEntry(path, digest, size))
    return entries
