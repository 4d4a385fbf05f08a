"""Sign-in and the catalog's faceted search, checked against the same public API."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import MARKS, gql, shot, sign_in

pytestmark = MARKS

SEARCH = """query ($input: SearchInput!) { search(input: $input) { ... on SearchResults { total } } }"""


async def test_root_leads_to_sign_in_and_a_wrong_key_is_refused(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await page.goto(f"{live_server}/")
    await expect(page).to_have_url(f"{live_server}/ui/")
    await page.get_by_label("API key or bearer token").fill("mgk_not-a-real-key")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("not accepted")
    assert await page.evaluate("sessionStorage.getItem('modelgraph.apiKey')") is None
    await shot(page, "sign-in-refused")


async def test_sign_in_keeps_the_key_in_session_storage_only(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await expect(page.get_by_test_id("who")).to_contain_text("viewer")
    assert await page.evaluate("sessionStorage.getItem('modelgraph.apiKey')") == demo_keys["vera"]
    assert await page.evaluate("localStorage.length") == 0
    await page.reload()
    await expect(page.get_by_test_id("who")).to_contain_text("vera")
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_label("API key or bearer token")).to_be_visible()


async def test_facets_narrow_the_results_as_the_api_counts_them(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    key = demo_keys["vera"]
    everything = gql(live_server, key, SEARCH, {"input": {}})["search"]["total"]
    production = {"anyOf": [{"allOf": [{"field": "ALIAS", "op": "EQ", "value": "production"}]}]}
    narrowed = gql(live_server, key, SEARCH, {"input": production})["search"]["total"]
    assert everything == 3 and narrowed == 1

    await sign_in(page, live_server, key, "vera")
    await expect(page.get_by_test_id("total")).to_have_text(f"{everything} matching versions")
    await expect(page.get_by_test_id("hit")).to_have_count(everything)
    alias_facet = page.locator("fieldset[data-facet=ALIAS]")
    await expect(alias_facet).to_contain_text("production")
    await shot(page, "catalog")

    await alias_facet.get_by_role("checkbox", name="production").check()
    await expect(page.get_by_test_id("total")).to_have_text(f"{narrowed} matching versions")
    await expect(page.get_by_test_id("hit")).to_have_count(1)
    await expect(page.get_by_test_id("hit")).to_contain_text("version 2")
    await expect(page.get_by_test_id("hit")).to_contain_text("production")

    await page.get_by_label("Search text").fill("no-such-model-anywhere")
    await expect(page.get_by_test_id("total")).to_have_text("0 matching versions")
    await shot(page, "catalog-narrowed")


async def test_a_saved_search_comes_back_with_its_filters(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["pat"], "pat")
    await page.locator("fieldset[data-facet=ALIAS]").get_by_role("checkbox", name="staging").check()
    await expect(page.get_by_test_id("hit")).to_have_count(1)
    await page.get_by_label("Save this search as").fill("staging-candidates")
    await page.get_by_role("button", name="Save", exact=True).click()
    saved = page.get_by_role("button", name="staging-candidates")
    await expect(saved).to_be_visible()
    await page.locator("fieldset[data-facet=ALIAS]").get_by_role("checkbox", name="staging").uncheck()
    await expect(page.get_by_test_id("hit")).to_have_count(3)
    await saved.click()
    await expect(page.get_by_test_id("hit")).to_have_count(1)
    await expect(page.get_by_test_id("hit")).to_contain_text("version 3")


SAVE = """mutation ($input: SaveSearchInput!) { saveSearch(input: $input) { __typename } }"""
SAVED = """{ savedSearches(first: 50) { edges { node { name input } } } }"""


def group(*filters: tuple[str, str]) -> dict[str, object]:
    return {"allOf": [{"field": field, "op": "EQ", "value": value} for field, value in filters]}


async def test_a_saved_search_with_several_or_groups_comes_back_whole(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    key = demo_keys["pat"]
    production, staging = group(("ALIAS", "production")), group(("ALIAS", "staging"), ("DOMAIN", "finance"))
    either = {"anyOf": [production, staging]}
    totals = [
        gql(live_server, key, SEARCH, {"input": i})["search"]["total"]
        for i in ({"anyOf": [production]}, {"anyOf": [staging]}, either)
    ]
    assert totals == [1, 1, 2]  # so only both groups together give the whole answer
    saved = gql(live_server, key, SAVE, {"input": {"name": "prod-or-finance-staging", "search": either}})
    assert saved["saveSearch"]["__typename"] == "SaveSearchSuccess"

    await sign_in(page, live_server, key, "pat")
    await expect(page.get_by_test_id("hit")).to_have_count(3)
    await page.get_by_role("button", name="prod-or-finance-staging").click()
    await expect(page.get_by_test_id("total")).to_have_text("2 matching versions")
    await expect(page.get_by_test_id("hit")).to_have_count(2)
    groups = page.get_by_test_id("filter-group")
    await expect(groups).to_have_count(2)
    await expect(groups.nth(0)).to_contain_text("Alias = production")
    await expect(groups.nth(1)).to_contain_text("or Alias = staging and Domain = finance")
    await expect(page.locator("fieldset[data-facet=ALIAS]").get_by_role("checkbox", name="production")).to_be_checked()
    await shot(page, "catalog-or-groups")

    # Saved again from the page, both groups are stored: the search runs the same from the API.
    await page.get_by_label("Save this search as").fill("copy-of-both")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("button", name="copy-of-both")).to_be_visible()
    stored = {e["node"]["name"]: e["node"]["input"] for e in gql(live_server, key, SAVED)["savedSearches"]["edges"]}
    copied = [[(f["field"], f["value"]) for f in g["all_of"]] for g in stored["copy-of-both"]["filters"]]
    assert copied == [[("ALIAS", "production")], [("ALIAS", "staging"), ("DOMAIN", "finance")]]

    # Removing the second group leaves the first; unchecking it too leaves no filter at all.
    await page.get_by_role("button", name="Remove group 2").click()
    await expect(page.get_by_test_id("hit")).to_have_count(1)
    await expect(page.get_by_test_id("hit")).to_contain_text("version 2")
    await expect(page.get_by_test_id("filter-groups")).to_have_count(0)

    # A filter with no control on the page (a number) is said in words too, not applied unseen.
    await page.get_by_role("button", name="long-training-runs").click()
    await expect(page.get_by_test_id("filter-group")).to_have_text(["Training duration > 3600"])
    await expect(page.get_by_test_id("filter-groups").get_by_role("heading")).to_have_text("Filters")
