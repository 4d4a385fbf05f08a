"""What an OpenLineage event says about a dataset version or a run, as the properties the write
path stores: the identity of a dataset's source, facets kept whole as JSON and what the standard
facets mean (app/domain/openlineage.py reads them)."""

from __future__ import annotations

from typing import Any

from app.domain import openlineage as ol
from app.domain import validation as v


def source(uri: Any, lineage: Any) -> dict[str, Any] | None:
    """The OpenLineage identity of a registration: the one named by an OpenLineage event, else the
    one its sourceUri stands for (None for a source that is no URI)."""
    if isinstance(lineage, dict) and lineage.get("namespace") is not None:
        found: ol.Identity | None = ol.identity("sourceUri", lineage.get("namespace"), lineage.get("name"))
    else:
        found = ol.identity_of_uri(str(uri or ""))
    if found is None:
        return None
    return {"key": found.key, "namespace": found.namespace, "name": found.name}


def dataset_props(lineage: Any) -> dict[str, Any]:
    """What an OpenLineage event said about this dataset version: its facets, kept whole as JSON,
    and what the standard ones mean (data source, owners)."""
    if not isinstance(lineage, dict):
        return {}
    facets = lineage.get("facets") or {}
    facts = ol.dataset_facts(facets) if isinstance(facets, dict) else {}
    return {
        "ol_facets": ol.facets_json("facets", facets),
        "data_source_name": facts.get("data_source_name"),
        "data_source_uri": facts.get("data_source_uri"),
        "ol_owners": facts.get("ol_owners") or None,
    }


def run_props(lineage: Any, *, start: bool) -> dict[str, Any]:
    """What an OpenLineage event said about a run: run and job facets kept whole as JSON (unknown
    ones too), the parent run and the job's owners; at the end, the terminal event's run facets."""
    if not isinstance(lineage, dict):
        return {}
    run_facets = lineage.get("run_facets") or {}
    if not start:
        return {"ol_end_facets": ol.facets_json("run.facets", run_facets)} if run_facets else {}
    job_facets = lineage.get("job_facets") or {}
    parent = ol.parent_run(run_facets) if isinstance(run_facets, dict) else None
    owners = ol.job_facts(job_facets)["owners"] if isinstance(job_facets, dict) else []
    found = {
        "ol_run_facets": ol.facets_json("run.facets", run_facets),
        "ol_job_facets": ol.facets_json("job.facets", job_facets),
        "ol_producer": v.short("producer", producer if isinstance(producer := lineage.get("producer"), str) else None),
        "ol_job_owners": owners or None,
        "parent_run_external_id": parent.run_id if parent else None,
        "parent_job_namespace": parent.job_namespace if parent else None,
        "parent_job_name": parent.job_name if parent else None,
    }
    return {k: val for k, val in found.items() if val is not None}
