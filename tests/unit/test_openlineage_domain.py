"""OpenLineage dataset identity and facets in registry terms (app/domain/openlineage.py)."""

from __future__ import annotations

import json

import pytest

from app.domain import openlineage as ol
from app.errors import ValidationFailed


@pytest.mark.parametrize(
    ("namespace", "name", "uri"),
    [
        ("s3://lake", "curated/loans.parquet", "s3://lake/curated/loans.parquet"),
        ("S3://Lake/", "/curated/loans.parquet/", "s3://Lake/curated/loans.parquet"),
        ("postgres://db.example:5432", "lending.public.loans", "POSTGRES://DB.example:5432/lending.public.loans"),
        ("file", "/data/loans.csv", "file:///data/loans.csv"),
        ("file", "/data/loans.csv", "/data/loans.csv"),
        ("bigquery", "proj.dataset.table", "bigquery:proj.dataset.table"),
        ("gs://bucket", "a/b", "gs://user@bucket/a/b"),
    ],
)
def test_an_openlineage_reference_and_a_source_uri_meet_on_one_key(namespace: str, name: str, uri: str) -> None:
    found = ol.identity_of_uri(uri)
    assert found is not None and found.key == ol.identity("d", namespace, name).key


def test_sources_that_are_no_location_have_no_identity() -> None:
    assert ol.identity_of_uri("exported by hand from the CRM") is None
    assert ol.source_key("exported by hand from the CRM") == "exported by hand from the CRM"
    assert ol.identity_of_uri("s3://bucket-only") is None


def test_a_new_dataset_is_named_by_its_own_name_not_its_namespace() -> None:
    ident = ol.identity("d", "s3://lake", "curated/loans.parquet")
    assert ident.registry_name() == "curated-loans.parquet"
    assert ol.identity("d", "postgres://h:5432", "db.public.t").registry_name() == "db.public.t"
    other = ol.identity("d", "s3://other", "curated/loans.parquet")
    assert ident.disambiguated_name() != other.disambiguated_name()
    assert ident.disambiguated_name().startswith("curated-loans.parquet-")


@pytest.mark.parametrize(("namespace", "name", "field"), [("", "x", "in.namespace"), ("s3://a", None, "in.name")])
def test_namespace_and_name_are_required(namespace: str, name: str | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ol.identity("in", namespace, name)
    assert caught.value.field == field and "is required" in caught.value.message


def test_standard_facets_are_read_and_unknown_ones_kept() -> None:
    facets = {
        "schema": {"fields": [{"name": "id", "type": "int64"}, {"type": "no name"}]},
        "dataSource": {"name": "lake", "uri": "s3://lake"},
        "documentation": {"description": "Loans"},
        "ownership": {"owners": [{"name": "team:risk", "type": "OWNER"}, {"type": "nameless"}]},
        "outputStatistics": {"rowCount": 12},
        "acme_custom": {"anything": [1, 2]},
    }
    facts = ol.dataset_facts(facets)
    assert json.loads(facts["schema"]) == [{"name": "id", "type": "int64"}]
    assert (facts["data_source_name"], facts["data_source_uri"], facts["description"]) == ("lake", "s3://lake", "Loans")
    assert facts["ol_owners"] == ["team:risk"] and facts["row_count"] == 12
    assert json.loads(ol.facets_json("f", facets) or "")["acme_custom"] == {"anything": [1, 2]}


def test_oversized_or_malformed_facets_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="larger than"):
        ol.facets_json("inputs[0].facets", {"big": "x" * (ol.MAX_FACETS_JSON + 1)})
    with pytest.raises(ValidationFailed, match="must be an object"):
        ol.facets_json("inputs[0].facets", ["schema"])


def test_parent_run_and_model_facets() -> None:
    parent = ol.parent_run({"parent": {"run": {"runId": "r-1"}, "job": {"namespace": "af", "name": "dag"}}})
    assert parent == ol.Parent("r-1", "af", "dag")
    assert ol.parent_run({"parent": {"job": {"name": "dag"}}}) is None
    digest = "sha256:" + "a" * 64
    model = ol.model_output("outputs[0].facets", {"modelgraph_model": {"model": "m", "digest": digest, "size": 3}})
    assert model == ol.ModelOutput("m", digest, 3, None)
    assert ol.model_output("outputs[0].facets", {"schema": {}}) is None
    with pytest.raises(ValidationFailed) as caught:
        ol.model_output("outputs[0].facets", {"modelgraph_model": {"model": "m", "digest": digest, "size": "big"}})
    assert caught.value.field == "outputs[0].facets.modelgraph_model.size"
    with pytest.raises(ValidationFailed) as caught:
        ol.model_output("outputs[0].facets", {"modelgraph_model": {"model": "m"}})
    assert caught.value.field == "outputs[0].facets.modelgraph_model.digest"
