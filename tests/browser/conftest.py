"""Browser tests: the real app under uvicorn with the demo registry, driven by Playwright in
Debian's chromium (scripts/setup.sh installs it; Playwright downloads no browser of its own).
Every page records the Content-Security-Policy violations it causes; a test fails on any.
Screenshots go to tests/browser/screenshots/ (git-ignored), or MODELGRAPH_SCREENSHOTS."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from app import demo
from app.config import Settings
from app.services import Services
from tests.conftest import CLEAR_GRAPH

MARKS = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.usefixtures("always_working_hours"),
]
CHROMIUM = os.environ.get("MODELGRAPH_CHROMIUM", "/usr/bin/chromium")
HAVE_CHROMIUM = Path(CHROMIUM).is_file()
SHOTS = Path(os.environ.get("MODELGRAPH_SCREENSHOTS", Path(__file__).parent / "screenshots"))
# Content waits: generous for a loaded 2-core machine, never a sleep.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
async def demo_keys(services: Services, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh demo registry for each test module; name -> API key of the demo principals."""
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        await (await session.run(CLEAR_GRAPH)).consume()
    return await demo.load(services, tmp_path_factory.mktemp("demo") / "demo-keys")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium (apt-get install chromium)")
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu", "--disable-dev-shm-usage"])
        yield launched
        await launched.close()


class Violations(list[str]):
    """Console messages about the Content Security Policy, and uncaught page errors."""


@pytest.fixture
async def page(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    opened = await context.new_page()
    problems = Violations()
    opened.on("console", lambda msg: _note_console(problems, msg))
    opened.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    opened.problems = problems  # type: ignore[attr-defined]
    yield opened
    await context.close()
    assert not problems, problems


def _note_console(problems: Violations, msg: Any) -> None:
    if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
        problems.append(msg.text)


async def shot(page: Page, name: str) -> None:
    """A full-page screenshot for people to review (Playwright creates the folder)."""
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def sign_in(page: Page, base: str, key: str, name: str) -> None:
    await page.goto(f"{base}/")
    await expect(page).to_have_url(f"{base}/ui/")
    await page.get_by_label("API key or bearer token").fill(key)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("who")).to_contain_text(name)


def gql(base: str, key: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The same public API the UI uses, to check what the page shows against it."""
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    assert body.get("errors") is None, body
    return body["data"]


def admin_key(settings: Settings) -> str:
    return settings.bootstrap_admin_key.get_secret_value()
