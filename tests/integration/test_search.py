"""Search against the real Neo4j full-text indexes and OPA: filters, metric thresholds, synonyms,
facets, pagination, vocabularies and saved searches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain import search as s
from app.errors import PermissionDenied, ValidationFailed
from app.graph.search_queries import METRIC_SCORES_OF_V
from app.graph.search_repo import Compiled, SearchResult, newest_page_query, ranked_page_query
from app.registry import seed, vocab
from app.registry.actor import Actor, RequestMeta
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services
from tests.integration.test_query_plans import operators

pytestmark = pytest.mark.integration

ADMIN = RequestMeta(actor=Actor(id="u1", name="alice", roles=("admin",)), request_id="t")
VIEWER = RequestMeta(actor=Actor(id="u2", name="bob", roles=("viewer",)), request_id="t")
DIGEST = "sha256:" + "b" * 64

DONE_MEANS: dict[str, Any] = {
    "filters": [
        {
            "all_of": [
                {"field": "ALIAS", "op": "EQ", "value": "production"},
                {"field": "TASK", "op": "EQ", "value": "classification"},
                {"field": "DOMAIN", "op": "EQ", "value": "finance"},
                {"field": "LICENCE", "op": "EQ", "value": "Apache-2.0"},
                {"field": "CONTAINS_PERSONAL_DATA", "op": "EQ", "flag": False},
            ]
        }
    ],
    "metrics": [{"name": "f1", "op": "GTE", "value": 0.8, "dataset": "holdout"}],
    "facets": ["DOMAIN", "TASK", "FRAMEWORK", "ALIAS"],
}


async def do(services: Services, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    outcome = await execute(services, ADMIN, command_from(name, payload))
    if outcome.review is not None:  # e.g. training on personal data: apply as if approved
        outcome = await execute(services, ADMIN, command_from(name, payload), approved_by="carol")
    assert outcome.result is not None, outcome
    return outcome.result


async def dataset(services: Services, name: str, domain: str, personal: bool | None) -> str:
    rights = {} if personal is None else {"contains_personal_data": personal, "training_allowed": True}
    return (
        await do(
            services,
            "register_dataset_version",
            {
                "dataset": name,
                "source_uri": f"s3://data/{name}",
                "data_domain": domain,
                "usage_rights": rights,
                "description": f"{name} snapshot",
            },
        )
    )["id"]


async def version(
    services: Services, model: str, data: list[str], f1: float, framework: str, notes: str = "", duration: int = 60
) -> dict[str, Any]:
    exp = (await services.driver.execute_query("MATCH (e:Experiment) RETURN e.id AS id")).records[0]["id"]
    start = datetime.now(UTC) - timedelta(seconds=duration + 5)
    run = await do(
        services,
        "start_run",
        {
            "experiment_id": exp,
            "inputs": data,
            "started_at": start,
            "environment": {"framework": framework},
            "notes": notes,
        },
    )
    await do(
        services,
        "finish_run",
        {"run_id": run["id"], "metrics": {"f1_score": f1}, "ended_at": start + timedelta(seconds=duration)},
    )
    return await do(
        services,
        "register_model_version",
        {
            "model": model,
            "run_id": run["id"],
            "artifact": {"uri": "s3://m", "digest": DIGEST},
            "notes": notes,
            "feature_importance": [{"feature": "amount", "score": 0.7}],
        },
    )


@pytest.fixture
async def registry(clean_graph: Services) -> dict[str, Any]:
    """Five models; only fraud-scorer v1 satisfies the issue's 'done means' query."""
    svc = clean_graph
    await seed.seed_from_file(svc, ADMIN)
    await do(svc, "create_project", {"name": "risk"})
    await do(svc, "create_experiment", {"name": "exp", "project": "risk", "description": "credit experiments"})
    clean = await dataset(svc, "transactions", "finance", False)
    pii = await dataset(svc, "patients", "healthcare", True)
    undeclared = await dataset(svc, "scraped", "finance", None)
    holdout = await dataset(svc, "holdout", "finance", False)
    models = {
        "fraud-scorer": ("finance", "binary-classification", "Apache-2.0", ["fraud"]),
        "credit-risk": ("finance", "classification", "MIT", ["credit"]),
        "patient-triage": ("healthcare", "classification", "Apache-2.0", ["triage"]),
        "churn": ("finance", "classification", "Apache-2.0", []),
        "sentiment": ("retail", "natural-language-processing", "Apache-2.0", ["reviews"]),
    }
    for name, (domain, task, licence, tags) in models.items():
        await do(
            svc,
            "create_model",
            {
                "name": name,
                "domain": domain,
                "task": task,
                "licence": licence,
                "tags": tags,
                "description": f"{name} model",
                "owners": ["alice"],
                "regulatory": ["GDPR"] if domain == "healthcare" else [],
            },
        )
    out: dict[str, Any] = {
        "fraud1": await version(svc, "fraud-scorer", [clean], 0.70, "xgboost", "gradient boosted trees"),
        "fraud2": await version(svc, "fraud-scorer", [clean], 0.99, "xgboost", "retrained", 7200),
        "credit": await version(svc, "credit-risk", [clean], 0.90, "sklearn"),
        "triage": await version(svc, "patient-triage", [pii], 0.90, "pytorch"),
        "churn": await version(svc, "churn", [undeclared], 0.90, "sklearn"),
        "sentiment": await version(svc, "sentiment", [clean], 0.81, "pytorch", "fine-tuned transformer"),
    }
    for model, number, f1 in (
        ("fraud-scorer", 1, 0.86),
        ("credit-risk", 1, 0.91),
        ("patient-triage", 1, 0.9),
        ("churn", 1, 0.95),
        ("fraud-scorer", 2, 0.97),
    ):
        await do(
            svc,
            "record_evaluation",
            {"model": model, "version": number, "metrics": {"f1": f1}, "dataset_version_id": holdout},
        )
    for model in ("fraud-scorer", "credit-risk", "patient-triage", "churn"):
        await do(svc, "move_alias", {"model": model, "alias": "production", "version": 1})
    out["holdout"] = holdout
    return out


async def planned(services: Services, cypher: str, out: Compiled) -> list[str]:
    """The operators of the plan Neo4j makes for a compiled search query (EXPLAIN: nothing runs)."""
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        summary = await (await session.run("EXPLAIN " + cypher, out.params)).consume()
    assert summary.plan is not None
    return operators(summary.plan)


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


def facet(result: SearchResult, name: str) -> dict[str, int]:
    found = next(f for f in result.facets if f.field.value == name)
    return {v.value: v.count for v in found.values}


async def test_done_means_query_finds_exactly_the_matching_version(
    registry: dict[str, Any], services: Services
) -> None:
    result = await vocab.search(services, DONE_MEANS)
    assert ids(result) == [registry["fraud1"]["id"]]
    assert result.total == 1
    assert result.hits[0].aliases == ["production"]
    assert facet(result, "FRAMEWORK") == {"xgboost": 1}
    assert facet(result, "TASK") == {"binary-classification": 1}


async def test_task_synonym_gives_the_same_hits(registry: dict[str, Any], services: Services) -> None:
    synonym = {
        **DONE_MEANS,
        "filters": [
            {
                "all_of": [
                    c if c["field"] != "TASK" else {**c, "value": "classifier"}
                    for c in DONE_MEANS["filters"][0]["all_of"]
                ]
            }
        ],
    }
    assert ids(await vocab.search(services, synonym)) == [registry["fraud1"]["id"]]


async def test_latest_non_superseded_evaluation_decides_the_threshold(
    registry: dict[str, Any], services: Services
) -> None:
    first = (
        await services.driver.execute_query(
            "MATCH (e:Evaluation {version_id: $v}) RETURN e.id AS id", v=registry["fraud1"]["id"]
        )
    ).records[0]["id"]
    await do(
        services,
        "record_evaluation",
        {
            "model": "fraud-scorer",
            "version": 1,
            "supersedes": first,
            "metrics": {"f1": 0.5},
            "dataset_version_id": registry["holdout"],
        },
    )
    assert ids(await vocab.search(services, DONE_MEANS)) == []


async def test_run_metric_is_used_without_a_dataset_and_or_of_and_combines(
    registry: dict[str, Any], services: Services
) -> None:
    # No dataset: sentiment has no evaluation, so its run's f1_score (0.81) counts.
    result = await vocab.search(
        services,
        {
            "filters": [
                {"all_of": [{"field": "DOMAIN", "op": "EQ", "value": "retail"}]},
                {"all_of": [{"field": "TRAINING_DURATION", "op": "GT", "number": 3600}]},
            ],
            "metrics": [{"name": "f1", "op": "GT", "value": 0.8}],
            "sort": {"by": "METRIC", "metric": "f1_score"},
        },
    )
    assert ids(result) == [registry["fraud2"]["id"], registry["sentiment"]["id"]]


async def test_text_search_expands_synonyms_and_reports_matched_fields(
    registry: dict[str, Any], services: Services
) -> None:
    result = await vocab.search(services, {"text": "NLP"})
    assert ids(result) == [registry["sentiment"]["id"]]
    assert "model.task" in result.hits[0].matched_fields or result.hits[0].matched_fields == []
    notes = await vocab.search(services, {"text": "transformer"})
    assert ids(notes) == [registry["sentiment"]["id"]]
    assert "version.notes" in notes.hits[0].matched_fields
    assert notes.hits[0].score > 0


async def test_lucene_syntax_error_is_a_validation_error(registry: dict[str, Any], services: Services) -> None:
    with pytest.raises(ValidationFailed, match="text: not a valid search query") as caught:
        await vocab.search(services, {"text": "fraud AND (", "text_mode": "LUCENE"})
    assert caught.value.field == "text"
    # The same characters in SIMPLE mode are literal text, not syntax.
    assert (await vocab.search(services, {"text": "fraud AND ("})).total == 0


async def test_pages_are_stable_and_bounded(registry: dict[str, Any], services: Services) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = await vocab.search(services, {"first": 2, "after": after, "facets": ["DOMAIN"]})
        seen += ids(page)
        assert page.total == 6
        if not page.has_next:
            break
        after = page.end_cursor
    assert len(seen) == len(set(seen)) == 6
    with pytest.raises(ValidationFailed, match=r"first: must be between 1 and 100 \(got 101\)"):
        await vocab.search(services, {"first": 101})


async def test_totals_without_facets_are_counted_up_to_a_cap(
    registry: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.graph.search_repo.COUNT_CAP", 4)
    capped = await vocab.search(services, {"first": 2})
    assert (capped.total, capped.total_exact, len(capped.hits)) == (4, False, 2)
    counted = await vocab.search(services, {"first": 2, "facets": ["DOMAIN"]})
    assert (counted.total, counted.total_exact) == (6, True)
    few = await vocab.search(services, {"filters": [{"all_of": [{"field": "DOMAIN", "op": "EQ", "value": "finance"}]}]})
    assert few.total_exact and few.total == len(few.hits) == 4  # exactly the cap is still exact


async def test_filter_validation_names_field_and_rule(services: Services) -> None:
    with pytest.raises(ValidationFailed, match=r"filters\[0\]\.allOf\[0\]\.op: GT does not apply to DOMAIN"):
        await vocab.search(services, {"filters": [{"all_of": [{"field": "DOMAIN", "op": "GT", "value": "x"}]}]})
    with pytest.raises(ValidationFailed, match="key"):
        await vocab.search(
            services,
            {"filters": [{"all_of": [{"field": "CUSTOM", "op": "EQ", "key": "x}) DETACH DELETE n //", "value": "y"}]}]},
        )


async def test_feature_importance_and_custom_filters(registry: dict[str, Any], services: Services) -> None:
    result = await vocab.search(
        services,
        {
            "filters": [
                {
                    "all_of": [
                        {"field": "FEATURE_IMPORTANCE", "op": "GTE", "key": "amount", "number": 0.5},
                        {"field": "REGULATORY", "op": "EQ", "value": "GDPR"},
                    ]
                }
            ]
        },
    )
    assert ids(result) == [registry["triage"]["id"]]


async def test_terms_are_admin_managed_and_expand_queries(registry: dict[str, Any], services: Services) -> None:
    with pytest.raises(PermissionDenied):
        await execute(services, VIEWER, command_from("upsert_term", {"vocabulary": "task", "value": "x"}))
    await do(services, "upsert_term", {"vocabulary": "domain", "value": "retail", "synonyms": ["shops"]})
    shops = {"field": "DOMAIN", "op": "EQ", "value": "shops"}
    result = await vocab.search(services, {"filters": [{"all_of": [shops]}]})
    assert ids(result) == [registry["sentiment"]["id"]]
    with pytest.raises(ValidationFailed, match="domain: must be a domain term: one of advertising"):
        await vocab.require_term(services, "domain", "astrology", "domain")
    assert await vocab.require_term(services, "task", "NLP", "task") == "natural-language-processing"


async def test_saved_searches_are_shared_and_seeded(registry: dict[str, Any], services: Services) -> None:
    await do(
        services,
        "save_search",
        {
            "name": "my-finance",
            "description": "mine",
            "input": {"filters": [{"all_of": [{"field": "DOMAIN", "op": "EQ", "value": "finance"}]}]},
        },
    )
    saved = await vocab.vocab_reader(services).saved_searches(None, 50)
    names = [s.name for s in saved]
    assert "my-finance" in names and "production-finance-classifiers" in names
    with pytest.raises(ValidationFailed, match="op"):
        await do(
            services,
            "save_search",
            {"name": "bad", "input": {"filters": [{"all_of": [{"field": "DOMAIN", "op": "LT", "value": "x"}]}]}},
        )


async def test_search_documents_follow_metadata_and_alias_changes(registry: dict[str, Any], services: Services) -> None:
    by_domain = {"filters": [{"all_of": [{"field": "DOMAIN", "op": "EQ", "value": "insurance"}]}]}
    assert (await vocab.search(services, by_domain)).total == 0
    model = (await services.driver.execute_query("MATCH (m:Model {name: 'credit-risk'}) RETURN m.id AS id")).records
    await do(
        services,
        "update_metadata",
        {
            "id": model[0]["id"],
            "expected_revision": 1,
            "changes": {"domain": "insurance", "description": "underwriting scores"},
        },
    )
    assert ids(await vocab.search(services, by_domain)) == [registry["credit"]["id"]]
    assert ids(await vocab.search(services, {"text": "underwriting"})) == [registry["credit"]["id"]]

    staging = {"filters": [{"all_of": [{"field": "ALIAS", "op": "EQ", "value": "staging"}]}]}
    await do(services, "move_alias", {"model": "fraud-scorer", "alias": "staging", "version": 2})
    assert ids(await vocab.search(services, staging)) == [registry["fraud2"]["id"]]
    await do(services, "move_alias", {"model": "fraud-scorer", "alias": "staging", "version": 1})
    assert ids(await vocab.search(services, staging)) == [registry["fraud1"]["id"]]
    await do(services, "remove_alias", {"model": "fraud-scorer", "alias": "staging"})
    assert (await vocab.search(services, staging)).total == 0


async def test_words_may_match_different_parts_of_a_version(registry: dict[str, Any], services: Services) -> None:
    # "fraud" is in the model's name, "retrained" only in version 2's notes: one document holds both.
    assert ids(await vocab.search(services, {"text": "fraud retrained"})) == [registry["fraud2"]["id"]]


async def test_lucene_narrowing_is_rechecked_exactly(registry: dict[str, Any], services: Services) -> None:
    # "finance-retail" holds the Lucene token "finance" but is another domain.
    await do(services, "create_model", {"name": "odd-domain", "licence": "Apache-2.0", "domain": "finance-retail"})
    odd = await version(services, "odd-domain", [registry["holdout"]], 0.9, "sklearn")
    finance = {
        "filters": [
            {
                "all_of": [
                    {"field": "DOMAIN", "op": "EQ", "value": "finance"},
                    {"field": "LICENCE", "op": "EQ", "value": "Apache-2.0"},
                ]
            }
        ]
    }
    found = ids(await vocab.search(services, finance))
    assert odd["id"] not in found
    assert set(found) == {registry["fraud1"]["id"], registry["fraud2"]["id"], registry["churn"]["id"]}


async def test_a_sort_by_a_metric_on_a_dataset_reads_ranked_scores_and_pages_like_the_full_ranking(
    registry: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)

    async def evaluate(key: str, auc: float, **extra: Any) -> str:
        model, number = {
            "fraud1": ("fraud-scorer", 1),
            "fraud2": ("fraud-scorer", 2),
            "credit": ("credit-risk", 1),
            "churn": ("churn", 1),
            "triage": ("patient-triage", 1),
        }[key]
        payload = {"model": model, "version": number, "metrics": {"auc": auc}}
        return str((await do(services, "record_evaluation", {**payload, **extra}))["id"])

    holdout = registry["holdout"]
    other = (
        await services.driver.execute_query("MATCH (d:DatasetVersion {dataset_name: 'transactions'}) RETURN d.id AS id")
    ).records[0]["id"]
    await evaluate("fraud1", 0.99, dataset_version_id=holdout, evaluated_at=now - timedelta(hours=2))
    await evaluate("fraud1", 0.60, dataset_version_id=holdout, evaluated_at=now - timedelta(hours=1))  # latest wins
    await evaluate("fraud2", 0.80, dataset_version_id=holdout)
    wrong = await evaluate("credit", 0.95, dataset_version_id=holdout)
    await evaluate("credit", 0.70, dataset_version_id=holdout, supersedes=wrong)  # the correction counts
    await evaluate("churn", 0.50, dataset_version_id=holdout)
    await evaluate("churn", 0.999, dataset_version_id=holdout, slice="eu")  # a slice is not the dataset's value
    await evaluate("triage", 0.99, dataset_version_id=other)  # another dataset: no value on the holdout
    expected = [registry[k]["id"] for k in ("fraud2", "credit", "fraud1", "churn")]
    missing = sorted([registry["triage"]["id"], registry["sentiment"]["id"]])

    async def walk(dataset: str, descending: bool, first: int = 2, **more: Any) -> list[str]:
        seen: list[str] = []
        after = None
        for _ in range(10):
            sort = {"by": "METRIC", "metric": "auc", "dataset": dataset, "descending": descending}
            page = await vocab.search(services, {"sort": sort, "first": first, "after": after, **more})
            seen += ids(page)
            if not page.has_next:
                return seen
            after = page.end_cursor
        raise AssertionError("paging did not end")

    # Not a filter Lucene narrows by: candidates still come from the ranked scores.
    quick = {"filters": [{"all_of": [{"field": "TRAINING_DURATION", "op": "LT", "number": 3600}]}]}
    walks = [
        ("holdout", True, 1, {}),
        ("holdout", False, 1, {}),
        ("holdout", True, 2, quick),
        ("holdout", False, 3, quick),
    ]
    ranked_walks = [await walk(d, desc, n, **more) for d, desc, n, more in walks]
    ranked = await walk("holdout", True)
    assert ranked[:4] == expected and sorted(ranked[4:]) == missing and len(ranked) == 6
    assert await walk(holdout, True) == ranked  # a dataset version's id ranks as its dataset's name does
    ascending = await walk("holdout", False)
    assert ascending[:4] == expected[::-1] and sorted(ascending[4:]) == missing
    # Without the stored scores (every candidate ranked), the same pages.
    monkeypatch.setattr("app.graph.search_repo.ranked_keys", lambda req, terms: None)
    assert await walk("holdout", True) == ranked
    assert await walk("holdout", False) == ascending
    assert [await walk(d, desc, n, **more) for d, desc, n, more in walks] == ranked_walks
    assert ranked_walks[2] == [registry[k]["id"] for k in ("credit", "fraud1", "churn")] + sorted(
        [registry["triage"]["id"], registry["sentiment"]["id"]]
    )
    monkeypatch.undo()
    # The first page really comes from the stored scores: change one and the order follows it.
    await services.driver.execute_query(
        "MATCH (s:MetricScore {version_id: $v, key: 'metric.auc', dataset: 'holdout'}) SET s.value = 0.9",
        v=registry["churn"]["id"],
    )
    by_auc = {"sort": {"by": "METRIC", "metric": "auc", "dataset": "holdout"}, "first": 2}
    assert ids(await vocab.search(services, by_auc)) == [registry["churn"]["id"], registry["fraud2"]["id"]]
    # A synonym in use too: a version's value is its latest evaluation's, whichever key that has,
    # so stored scores of one key cannot order it; every candidate is ranked (churn's true 0.50).
    await evaluate("triage", 0.75, dataset_version_id=holdout)
    await services.driver.execute_query(
        "MATCH (e:Evaluation {version_id: $v}) WHERE e.`metric.auc` = 0.75 "
        "REMOVE e.`metric.auc` SET e.`metric.roc_auc` = 0.75 WITH e MATCH (v:ModelVersion {id: $v}) "
        + METRIC_SCORES_OF_V,
        v=registry["triage"]["id"],
    )
    assert ids(await vocab.search(services, by_auc)) == [registry["fraud2"]["id"], registry["triage"]["id"]]


async def test_the_ranked_page_reads_the_score_index_in_order(services: Services) -> None:
    """The point of the stored scores: Neo4j reads them in index order and stops after the page (a
    partial top over rows already ordered), never sorting every score of the metric."""
    req = s.request({"sort": {"by": "METRIC", "metric": "auc", "dataset": "holdout"}, "first": 10})
    out = Compiled()
    found = await planned(services, ranked_page_query(req, ["metric.auc", "metric.roc_auc"], [], out), out)
    assert "PartialTop" in found and "Top" not in found, found
    assert "NodeByLabelScan" not in found and "AllNodesScan" not in found, found


async def test_newest_first_pages_read_in_creation_order_match_the_full_ranking(
    registry: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def walk(first: int, raw: dict[str, Any]) -> list[str]:
        seen: list[str] = []
        after = None
        for _ in range(20):
            page = await vocab.search(services, {**raw, "first": first, "after": after})
            seen += ids(page)
            if not page.has_next:
                return seen
            after = page.end_cursor
        raise AssertionError("paging did not end")

    finance = {"filters": [{"all_of": [{"field": "DOMAIN", "op": "EQ", "value": "finance"}]}]}
    asks = [(1, {}), (2, {}), (1, finance), (2, finance), (3, {"metrics": DONE_MEANS["metrics"]})]
    read_in_order = [await walk(n, raw) for n, raw in asks]
    assert sorted(read_in_order[0]) == sorted(
        registry[k]["id"] for k in ("fraud1", "fraud2", "credit", "triage", "churn", "sentiment")
    )
    monkeypatch.setattr("app.graph.search_repo.newest_applies", lambda req: False)
    assert [await walk(n, raw) for n, raw in asks] == read_in_order


async def test_the_newest_first_page_reads_the_creation_index_in_order(services: Services) -> None:
    """Versions come from the created_at index in its order and the scan stops at the page: the one
    sort in the plan is the final one over the page's rows."""
    req = s.request({"filters": [{"all_of": [{"field": "TAG", "op": "EQ", "value": "drift"}]}], "first": 10})
    out = Compiled()
    found = await planned(services, newest_page_query(req, [], out), out)
    assert any(op.startswith("NodeIndex") for op in found), found
    assert [op for op in found if op in ("Sort", "Top", "PartialSort", "PartialTop")] == ["Sort"], found
