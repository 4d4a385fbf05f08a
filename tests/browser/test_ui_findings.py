"""Validation findings in the UI, the way a user meets them: an artifact deleted from the store
makes the catalog's "Open findings" facet narrow to its version (with a badge on the hit), the
version page lists the open finding, and once restored it moves to the resolved history."""

from __future__ import annotations

import uuid

from playwright.async_api import Page, expect

from app.artifacts.store import content_key
from app.services import Services
from app.validation import Validator
from tests.browser.conftest import MARKS, gql, shot, sign_in
from tests.integration.test_validation import s3, stored_version

pytestmark = MARKS

SEARCH = """query ($input: SearchInput!) { search(input: $input) {
  ... on SearchResults { total facets { field values { value count } } } } }"""


def finding_counts(base: str, key: str, input_: dict[str, object]) -> tuple[int, dict[str, int]]:
    found = gql(base, key, SEARCH, {"input": {**input_, "facets": ["FINDING"]}})["search"]
    return found["total"], {v["value"]: v["count"] for v in found["facets"][0]["values"]}


async def test_a_missing_artifact_shows_in_the_catalog_facet_and_on_the_version_page(
    page: Page, live_server: str, demo_keys: dict[str, str], services: Services
) -> None:
    data = b"weights " + uuid.uuid4().bytes
    digest = await stored_version(services, "fraud-watch", data)
    await s3(services, "remove_object", object_name=content_key(digest))
    validator = Validator(services)
    await validator.full_pass()
    key = demo_keys["vera"]
    _, counts = finding_counts(live_server, key, {})
    assert counts["artifact_missing"] == 1
    any_open, _ = finding_counts(live_server, key, {"anyOf": [{"allOf": [{"field": "FINDING", "op": "EXISTS"}]}]})

    await sign_in(page, live_server, key, "vera")
    facet = page.locator("fieldset[data-facet=FINDING]")
    await expect(facet.locator("legend")).to_have_text("Open findings")
    await facet.get_by_role("checkbox", name="artifact_missing").check()
    await expect(page.get_by_test_id("total")).to_have_text("1 matching versions")
    hit = page.get_by_test_id("hit")
    await expect(hit).to_contain_text("fraud-watch")
    await expect(hit.get_by_test_id("finding-badge")).to_have_text("finding: artifact_missing")
    await shot(page, "catalog-findings")
    await facet.get_by_role("checkbox", name="artifact_missing").uncheck()
    await facet.get_by_role("checkbox", name="any open finding").check()
    await expect(page.get_by_test_id("total")).to_have_text(f"{any_open} matching versions")
    await expect(page.get_by_test_id("finding-badge").filter(has_text="artifact_missing")).to_have_count(1)

    await hit.filter(has_text="fraud-watch").get_by_role("link", name="version 2").click()
    await expect(page).to_have_url(f"{live_server}/ui/#/model/fraud-watch/v/2")
    finding = page.get_by_test_id("finding")
    await expect(finding).to_have_count(1)
    await expect(finding).to_have_attribute("data-check", "artifact_missing")
    await expect(finding).to_contain_text(f"no object for {digest} in the artifact store")
    await expect(finding).to_contain_text("open since")
    await expect(page.get_by_test_id("resolved-findings")).to_have_count(0)
    await shot(page, "version-findings")
    await page.goto(f"{live_server}/ui/#/model/fraud-watch")  # the model's versions table marks it too
    row = page.get_by_test_id("versions").locator("tbody tr").filter(has_text="v2")
    await expect(row.get_by_test_id("finding-badge")).to_have_text("finding: artifact_missing")
    await page.goto(f"{live_server}/ui/#/model/fraud-watch/v/2")

    await services.artifacts.put(data)  # restored; the next cycle resolves the finding
    await validator.full_pass()
    await page.reload()
    await expect(page.get_by_test_id("no-findings")).to_be_visible()
    history = page.get_by_test_id("resolved-findings")
    await history.get_by_text("Resolved findings (1)").click()
    await expect(history.locator("tbody tr")).to_have_count(1)
    await expect(history.locator("tbody tr")).to_contain_text("artifact_missing")
    await shot(page, "version-findings-resolved")

    await page.goto(f"{live_server}/ui/")
    await expect(page.get_by_test_id("hit").filter(has_text="fraud-watch")).to_have_count(2)
    await expect(page.get_by_test_id("finding-badge").filter(has_text="artifact_missing")).to_have_count(0)
