"""/healthz (the process is alive) and /readyz (every dependency answers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app import __version__


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


async def readyz(request: Request) -> JSONResponse:
    """200 only when Neo4j, OPA and S3 all answered; otherwise 503 naming who did not."""
    statuses = await request.app.state.services.check()
    body = {
        "status": "ready" if all(s.ok for s in statuses) else "unavailable",
        "dependencies": {s.name: {"ok": s.ok, "detail": s.detail} for s in statuses},
    }
    return JSONResponse(body, status_code=200 if all(s.ok for s in statuses) else 503)
