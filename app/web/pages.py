"""The browser pages: `/` sends people to the web UI, `/ui` is its single HTML shell. The shell
holds no data; everything the UI shows comes from the public GraphQL API with the user's key."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

UI_DIR = Path(__file__).resolve().parent / "ui"
UI_STATIC_DIR = UI_DIR / "static"


async def root(request: Request) -> Response:
    return RedirectResponse("/ui/", status_code=307)


async def ui_shell(request: Request) -> Response:
    """The same shell for every UI address; the script routes on the URL fragment."""
    html = (UI_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"cache-control": "no-cache"})
