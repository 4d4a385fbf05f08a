"""Typed records: stored properties decode once in app/graph, and the GraphQL types show their attributes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import strawberry
from neo4j.time import DateTime

from app.graph import dataset_records as data_rec
from app.graph import model_records as model_rec
from app.graph import props
from app.graph import records as rec
from app.graph import run_records as run_rec
from app.graphql.disclosure import NOBODY, owns
from app.graphql.types import core as t

AT = DateTime(2026, 1, 2, 3, 4, 5, 123456000, tzinfo=UTC)


def test_a_run_decodes_driver_times_prefixed_maps_and_facet_json() -> None:
    run = rec.record_of(
        "Run",
        {
            "id": "run_1",
            "status": "FINISHED",
            "started_at": AT,
            "metric.auc": 0.91,
            "param.lr": 0.1,
            "cp.team": "risk",
            "cc.team": "internal",
            "ol_run_facets": '{"nominalTime": {"nominalStartTime": "2026-01-02"}}',
            "ol_job_owners": ["ana"],
        },
    )
    assert isinstance(run, run_rec.Run)
    assert run.started_at == datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC) and run.ended_at is None
    assert (run.metrics, run.params) == ({"auc": 0.91}, {"lr": 0.1})
    assert run.custom == props.Custom({"team": "risk"}, {"team": "internal"})
    assert run.facets == {"nominalTime": {"nominalStartTime": "2026-01-02"}} and run.end_facets is None
    assert (run.job_owners, run.revision) == (["ana"], 1)


def test_a_kind_the_api_shows_no_type_for_has_no_record() -> None:
    assert rec.record_of("Deployment", {"id": "dep_1"}) is None


def test_an_evaluation_without_a_dataset_or_predecessor_names_none() -> None:
    found = model_rec.Evaluation.of({"id": "ev_1", "version": 2, "dataset_version_id": "", "supersedes": ""})
    assert (found.dataset_version_id, found.supersedes_id, found.confidence) == (None, None, {})


@strawberry.type
class _Query:
    @strawberry.field
    def model(self) -> t.Model:
        props = {"id": "mdl_1", "name": "churn", "owners": ["ana"], "seq": 3, "created_at": AT, "tags": ["x"]}
        return t.Model(model_rec.Model.of(props))


def test_the_graphql_type_answers_the_record_attributes() -> None:
    result = strawberry.Schema(_Query).execute_sync("{ model { id name owners ownerTeams tags revision createdAt } }")
    assert result.errors is None
    assert result.data == {
        "model": {
            "id": "mdl_1",
            "name": "churn",
            "owners": ["ana"],
            "ownerTeams": [],
            "tags": ["x"],
            "revision": 1,
            "createdAt": "2026-01-02T03:04:05.123456+00:00",
        }
    }


def test_a_plain_field_without_a_record_attribute_of_its_type_fails_at_import() -> None:
    with pytest.raises(TypeError, match=r"Gone\.name: Feature has no attribute name of type int"):

        @t.node_type(data_rec.Feature, description="Not a real type.")
        class Gone(t.Node):
            name = t.plain(int, "Wrong type.")


def test_ownership_is_read_from_a_record_and_no_one_owns_a_node_without_owners() -> None:
    model = model_rec.Model.of({"id": "mdl_1", "owners": ["ana"], "owner_teams": ["risk"]})
    assert owns("ana", [], model) and owns("bo", ["risk"], model) and not owns("bo", ["ops"], model)
    assert not owns("ana", ["risk"], NOBODY)


def test_a_stored_node_missing_what_the_write_path_always_stores_is_an_integrity_error() -> None:
    from app.errors import IntegrityError
    from app.graph.model_records import Evaluation

    with pytest.raises(IntegrityError, match="stored Evaluation ev_1 has no version"):
        Evaluation.of({"id": "ev_1", "evaluated_at": None})
