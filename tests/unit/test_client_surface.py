"""The SDK's surface: split into modules by concern, `ModelGraph` still offers every helper, and each
helper of the async client has a sync twin of the same name (no services)."""

from __future__ import annotations

import inspect

from modelgraph.client import ActiveRun, AsyncModelGraph, ModelGraph


def public(cls: type) -> set[str]:
    return {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def test_model_graph_offers_every_helper_from_one_class() -> None:
    assert public(ModelGraph) >= {
        "experiment", "register_dataset", "start_run", "finish_run", "log_metrics", "metric_history", "run",
        "model", "create_model", "upload", "register_version", "version", "iter_models", "iter_versions",
        "set_alias", "remove_alias", "update_metadata", "alias_history", "record_evaluation", "download",
        "search", "lineage", "iter_reviews", "approve_review", "reject_review", "report_health",
    }  # fmt: skip
    assert ActiveRun.__module__ == "modelgraph.client.runs"


def test_every_async_helper_has_a_sync_twin() -> None:
    assert public(AsyncModelGraph) - {"close"} <= public(ModelGraph)
