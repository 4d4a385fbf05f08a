"""The browser-facing routes over real HTTP: `/` sends people to the UI, the shells and their files
are public but hold no data, and every response carries the strict security headers."""

from __future__ import annotations

import httpx
import pytest

from app.web.csp import GRAPHIQL, STRICT

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_root_redirects_to_the_web_ui(live_server: str) -> None:
    response = httpx.get(f"{live_server}/", timeout=10)
    assert response.status_code == 307
    assert response.headers["location"] == "/ui/"


@pytest.mark.parametrize(
    "path", ["/ui/", "/ui", "/static/ui/app.js", "/static/ui/ui.css", "/static/vendor/cytoscape/cytoscape.min.js"]
)
def test_shells_and_scripts_are_public_and_strict(live_server: str, path: str) -> None:
    response = httpx.get(f"{live_server}{path}", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == STRICT
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_the_ui_shell_has_no_inline_script_or_style(live_server: str) -> None:
    html = httpx.get(f"{live_server}/ui/", timeout=10).text
    for graphiql in (False, True):
        page = html if not graphiql else httpx.get(f"{live_server}/graphql", headers={"accept": "text/html"}).text
        assert "<script>" not in page and "<style" not in page and " style=" not in page
        assert "https://" not in page  # no CDN


def test_graphiql_allows_inline_styles_but_never_inline_scripts(live_server: str) -> None:
    response = httpx.get(f"{live_server}/graphql", headers={"accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == GRAPHIQL
    script_src = next(d for d in GRAPHIQL.split(";") if d.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"


def test_api_errors_carry_the_headers_too(live_server: str) -> None:
    response = httpx.post(f"{live_server}/graphql", json={"query": "{ me { name } }"}, timeout=10)
    assert response.status_code == 401
    assert response.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self';")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_ui_post_and_unknown_static_files_are_refused(live_server: str) -> None:
    assert httpx.post(f"{live_server}/ui/", timeout=10).status_code == 401
    assert httpx.get(f"{live_server}/static/ui/nope.js", timeout=10).status_code == 404
