"""Transaction bodies for the provenance core. Each returns {"id", "kind", ...} for the audit
record and the API payload; each raises a RegistryError (rolling back) when a rule fails."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from app.errors import AlreadyExists, Conflict, NotFound
from app.graph import core_queries as q
from app.graph import search_queries as sq
from app.graph.ids import new_id
from app.graph.reads import tx_one, tx_rows
from app.graph.unit import Work


async def noop(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
    """The work of a plan that is only asked about (a decision that precedes another write)."""
    return {}


def created(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"id": props["id"], "kind": kind}


async def refuse_existing(tx: AsyncManagedTransaction, query: LiteralString, message: str, **params: Any) -> None:
    """Name clashes fail with a clear error; the uniqueness constraint stays the backstop."""
    if await tx_one(tx, query, **params):
        raise AlreadyExists(message, field="name")


async def create_node(
    tx: AsyncManagedTransaction,
    query: LiteralString,
    label: str,
    at: datetime,
    actor: str,
    missing: NotFound | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Run a CREATE query whose parameters are the validated payload; no row means a
    referenced node is missing (`missing` says which)."""
    row = await tx_one(tx, query, id=new_id(label), at=at, actor=actor, **params)
    if row is None:
        if missing is None:
            raise AssertionError(f"creating a {label} returned no row")
        raise missing
    return created(label, row["props"])


async def refresh_search_docs(tx: AsyncManagedTransaction, version_ids: list[str | None]) -> None:
    """Recompute the search documents of these versions inside the writing transaction."""
    ids = [i for i in version_ids if i]
    if ids:
        await (await tx.run(sq.REFRESH_SEARCH_DOCS, ids=ids)).consume()


async def refresh_docs_affected_by(tx: AsyncManagedTransaction, label: str, node_id: str) -> None:
    query = sq.DOCS_AFFECTED_BY.get(label)
    if query is not None:
        row = await tx_one(tx, query, id=node_id)
        await refresh_search_docs(tx, list(row["ids"]) if row else [])


def create_project(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        message = f"name: a project named {p['name']!r} already exists (names are unique ignoring case)"
        await refuse_existing(tx, q.PROJECT_EXISTS, message, name_key=p["name_key"])
        return await create_node(tx, q.CREATE_PROJECT, "Project", at, actor, **{**p, "owners": p["owners"] or [actor]})

    return work


def create_experiment(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        message = f"name: experiment {p['name']!r} already exists in project {p['project']!r}"
        await refuse_existing(tx, q.EXPERIMENT_EXISTS, message, name=p["name"], project=p["project"])
        missing = NotFound(f"project: no project named {p['project']!r}", field="project")
        return await create_node(tx, q.CREATE_EXPERIMENT, "Experiment", at, actor, missing, **p)

    return work


def register_dataset_version(p: dict[str, Any], actor: str) -> Work:
    """A new version of a dataset; the first dataset registered with a source is the one its
    OpenLineage identity names; with `produced_by`, the run that wrote it (PRODUCED_BY)."""

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        derived = [{"id": d["dataset_version_id"], "step": d["step"]} for d in p["derived_from"]]
        source = p.get("source") or {}
        extra = {k: val for k, val in (p.get("extra") or {}).items() if val is not None}
        if source:
            extra.update({"source_namespace": source["namespace"], "source_name": source["name"]})
        params = {**p, "derived_from": derived, "extra": extra}
        params.pop("source", None)
        params.pop("produced_by", None)
        row = await tx_one(
            tx,
            q.REGISTER_DATASET_VERSION,
            id=new_id("DatasetVersion"),
            dataset_id=new_id("Dataset"),
            at=at,
            actor=actor,
            **params,
        )
        assert row is not None
        if row["linked"] != len(derived):
            raise NotFound("derivedFrom: a source dataset version does not exist", field="derivedFrom")
        if source:
            await _link_source(tx, p, source, at)
        if p.get("produced_by"):
            produced = await tx_one(tx, q.LINK_PRODUCED_BY, id=row["props"]["id"], run_id=p["produced_by"], at=at)
            if produced is None:
                raise NotFound(f"producedBy: no run {p['produced_by']!r}", field="producedBy")
            if produced["status"] != "RUNNING":
                raise Conflict(f"producedBy: run is {produced['status']}; a finished run's outputs are immutable")
        return {**created("DatasetVersion", row["props"]), "version": row["props"]["version"]}

    return work


async def _link_source(tx: AsyncManagedTransaction, p: dict[str, Any], source: dict[str, Any], at: datetime) -> None:
    """A source names one dataset: registering it under another name is refused (rolling the version
    back), naming the dataset that holds it, unless the new dataset says it is derived from others."""
    if await tx_one(tx, q.LINK_DATASET_SOURCE, dataset=p["dataset"], at=at, **source) is not None:
        return
    if p["derived_from"]:
        return
    owner = await tx_one(tx, q.DATASET_OF_SOURCE, key=source["key"])
    name = owner["props"]["name"] if owner else "another dataset"
    raise Conflict(
        f"sourceUri: {source['key']!r} is already the source of dataset {name!r}: register this version "
        f"under that name (a dataset derived from it says so in derivedFrom)",
        field="sourceUri",
    )


def register_feature(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        message = f"name: feature {p['name']!r} already exists in project {p['project']!r}"
        await refuse_existing(tx, q.FEATURE_EXISTS, message, name=p["name"], project=p["project"])
        missing = NotFound("project or sourceDatasetVersionId: not found", field="sourceDatasetVersionId")
        return await create_node(tx, q.REGISTER_FEATURE, "Feature", at, actor, missing, **p)

    return work


async def _check_inputs(tx: AsyncManagedTransaction, ids: list[str]) -> None:
    if not ids:  # a run without inputs: nothing to look up, no round trip
        return
    missing = [r["input_id"] for r in await tx_rows(tx, q.COUNT_INPUTS, ids=ids) if not r["found"]]
    if missing:
        raise NotFound(f"inputs: no dataset version or feature with id {missing[0]!r}", field="inputs")


def start_run(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        await _check_inputs(tx, p["inputs"])
        env = p["environment"]
        row = await tx_one(
            tx,
            q.START_RUN,
            id=new_id("Run"),
            name=p["name"],
            experiment_id=p["experiment_id"],
            started_at=p["started_at"] or at,
            code_version=p["code_version"],
            external_id=p.get("external_id"),
            notes=p["notes"],
            framework=env.get("framework"),
            framework_version=env.get("framework_version"),
            hardware=env.get("hardware"),
            container_image=env.get("container_image"),
            python_version=env.get("python_version"),
            dynamic=p["dynamic"],
            lineage=p.get("lineage") or {},
            inputs=p["inputs"],
            at=at,
            actor=actor,
        )
        if row is None:
            raise NotFound(f"experimentId: no experiment {p['experiment_id']!r}", field="experimentId")
        return created("Run", row["props"])

    return work


async def _lock_running_run(tx: AsyncManagedTransaction, run_id: str) -> dict[str, Any]:
    row = await tx_one(tx, q.LOCK_RUN, id=run_id)
    if row is None:
        raise NotFound(f"runId: no run {run_id!r}", field="runId")
    if row["status"] != "RUNNING":
        raise Conflict(f"run {run_id} is {row['status']}: a finished run's inputs and metrics are immutable")
    return row


def add_run_inputs(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        await _lock_running_run(tx, p["run_id"])
        await _check_inputs(tx, p["inputs"])
        await tx_one(tx, q.ADD_RUN_INPUTS, id=p["run_id"], inputs=p["inputs"], at=at)
        return {"id": p["run_id"], "kind": "Run"}

    return work


def finish_run(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await _lock_running_run(tx, p["run_id"])
        started = row["started_at"].to_native()
        ended = p["ended_at"] or at
        if ended < started:
            raise Conflict("endedAt: must not be before the run's start time")
        props = await tx_one(
            tx,
            q.FINISH_RUN,
            id=p["run_id"],
            status=p["status"],
            ended_at=ended,
            duration=(ended - started).total_seconds(),
            notes=p["notes"],
            dynamic=p["dynamic"],
            lineage=p.get("lineage") or {},
            at=at,
        )
        assert props is not None
        return created("Run", props["props"])

    return work


def create_model(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        message = f"name: a model named {p['name']!r} already exists (names are unique ignoring case)"
        await refuse_existing(tx, q.MODEL_EXISTS, message, name_key=p["name_key"])
        return await create_node(tx, q.CREATE_MODEL, "Model", at, actor, **{**p, "owners": p["owners"] or [actor]})

    return work


def register_model_version(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        [(version_id, number)] = await _register(tx, at, p["model"], [p], actor, batch=False)
        return {"id": version_id, "kind": "ModelVersion", "version": number}

    return work


def register_model_versions(batch: list[dict[str, Any]], actor: str) -> Work:
    """All versions or none: numbered in request order under the model's lock, created set-wise."""

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        registered = await _register(tx, at, batch[0]["model"], batch, actor, batch=True)
        return {
            "kind": "ModelVersionBatch",
            "ids": [version_id for version_id, _ in registered],
            "versions": [number for _, number in registered],
        }

    return work


async def _register(
    tx: AsyncManagedTransaction, at: datetime, model: str, items: list[dict[str, Any]], actor: str, *, batch: bool
) -> list[tuple[str, int]]:
    """Reserve the numbers first (the model's write lock), check the runs and bases, create all."""
    run_ids = [p["run_id"] for p in items]
    reserved = await tx_one(tx, q.RESERVE_VERSION_NUMBERS, model=model, count=len(items), at=at, ids=run_ids)
    if reserved is None:
        raise NotFound(f"model: no model named {model!r}", field="model")

    def where(index: int, name: str) -> str:
        return f"versions[{index}].{name}" if batch else name

    statuses = {r["run_id"]: r["status"] for r in reserved["runs"]}
    for index, p in enumerate(items):
        status = statuses.get(p["run_id"])
        if status is None:
            raise NotFound(f"{where(index, 'runId')}: no run {p['run_id']!r}", field=where(index, "runId"))
        if status != "FINISHED":
            raise Conflict(
                f"{where(index, 'runId')}: run is {status}; register versions from FINISHED runs so their "
                "inputs are fixed"
            )
    bases = [p["fine_tuned_from"] for p in items if p["fine_tuned_from"]]
    missing = {r["version_id"] for r in await tx_rows(tx, q.MISSING_VERSIONS, ids=bases)} if bases else set()
    for index, p in enumerate(items):
        if p["fine_tuned_from"] in missing:
            field = where(index, "fineTunedFrom")
            raise NotFound(f"{field}: no model version {p['fine_tuned_from']!r}", field=field)
    rows = [_version_row(p, int(reserved["base"]) + index + 1) for index, p in enumerate(items)]
    created_rows = await tx_rows(tx, q.REGISTER_MODEL_VERSIONS, model=model, rows=rows, at=at, actor=actor)
    await (await tx.run(q.ADD_KNOWN_SOURCES, model=model, run_ids=list(dict.fromkeys(run_ids)))).consume()
    await refresh_search_docs(tx, [r["id"] for r in created_rows])
    return [(str(r["id"]), int(r["version"])) for r in created_rows]


def _version_row(p: dict[str, Any], number: int) -> dict[str, Any]:
    art = p["artifact"]
    return {
        "id": new_id("ModelVersion"),
        "artifact_id": new_id("Artifact"),
        "version": number,
        "run_id": p["run_id"],
        "artifact_uri": art["uri"],
        "artifact_digest": art["digest"],
        "artifact_size": art["size"],
        "artifact_format": art["format"],
        "artifact_files": art.get("files") or [],
        "signature": p["signature"],
        "importance_json": json.dumps(p["feature_importance"]),
        "notes": p["notes"],
        "dynamic": p["dynamic"],
        "fine_tuned_from": p["fine_tuned_from"],
    }


async def _lock_model(tx: AsyncManagedTransaction, model: str) -> dict[str, Any]:
    row = await tx_one(tx, q.LOCK_MODEL, model=model)
    if row is None:
        raise NotFound(f"model: no model named {model!r}", field="model")
    props: dict[str, Any] = row["props"]
    return props


def move_alias(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        model = await _lock_model(tx, p["model"])
        target = await tx_one(tx, q.VERSION_BY_NUMBER, model_id=model["id"], version=p["version"])
        if target is None:
            raise NotFound(f"version: model {p['model']!r} has no version {p['version']}", field="version")
        if target["props"]["status"] == "ARCHIVED":
            raise Conflict(f"version: version {p['version']} is archived and cannot receive an alias")
        current = await tx_one(tx, q.CURRENT_ALIAS_TARGET, model_id=model["id"], alias=p["alias"])
        if current and current["version"] == p["version"]:
            return {
                "id": current["alias_id"],
                "kind": "Alias",
                "previous": current["version"],
                "unchanged": True,
            }
        row = await tx_one(
            tx,
            q.MOVE_ALIAS,
            model_id=model["id"],
            model_name=model["name"],
            version=p["version"],
            alias=p["alias"],
            alias_id=new_id("Alias"),
            reason=p["reason"],
            at=at,
            actor=actor,
        )
        assert row is not None
        await refresh_search_docs(tx, [target["props"]["id"], current["version_id"] if current else None])
        return {
            "id": row["id"],
            "kind": "Alias",
            "previous": current["version"] if current else None,
        }

    return work


def remove_alias(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        model = await _lock_model(tx, p["model"])
        row = await tx_one(tx, q.CLOSE_ALIAS, model_id=model["id"], alias=p["alias"], at=at)
        if row is None:
            raise NotFound(f"alias: model {p['model']!r} has no alias {p['alias']!r}", field="alias")
        await refresh_search_docs(tx, [row["version_id"]])
        return {"id": row["id"], "kind": "Alias"}

    return work


def archive_version(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        model = await _lock_model(tx, p["model"])
        target = await tx_one(tx, q.VERSION_BY_NUMBER, model_id=model["id"], version=p["version"])
        if target is None:
            raise NotFound(f"version: model {p['model']!r} has no version {p['version']}", field="version")
        if target["props"]["status"] == "ARCHIVED":
            raise Conflict(f"version: version {p['version']} is already archived")
        aliases = [r["alias"] for r in await tx_rows(tx, q.ALIASES_ON_VERSION, id=target["props"]["id"])]
        if aliases:
            raise Conflict(f"version: alias {aliases[0]!r} points to version {p['version']}; move it first")
        row = await tx_one(
            tx,
            q.ARCHIVE_VERSION,
            model_id=model["id"],
            version=p["version"],
            reason=p["reason"],
            at=at,
        )
        assert row is not None
        return created("ModelVersion", row["props"])

    return work


def update_metadata(label: str, node_id: str, expected: int, changes: dict[str, Any], actor: str) -> Work:
    """Optimistic concurrency: the revision bump takes the node's lock, then we compare."""

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, q.BUMP_REVISION[label], id=node_id)
        if row is None:
            raise NotFound(f"id: no {label} {node_id!r}", field="id")
        before = row["props"]
        if before["revision"] - 1 != expected:
            raise Conflict(
                f"expectedRevision: {label} is at revision {before['revision'] - 1}, not {expected}; "
                "reload and apply your change again"
            )
        diff = {k: {"from": _plain(before.get(k)), "to": v} for k, v in changes.items() if before.get(k) != v}
        updated = await tx_one(
            tx,
            q.APPLY_REVISION[label],
            id=node_id,
            changes=changes,
            rev_id=new_id("Revision"),
            changes_json=json.dumps(diff, default=str),
            at=at,
            actor=actor,
        )
        assert updated is not None
        await refresh_docs_affected_by(tx, label, node_id)
        return {"id": node_id, "kind": label, "revision": updated["props"]["revision"]}

    return work


def _plain(value: Any) -> Any:
    return value.to_native().isoformat() if hasattr(value, "to_native") else value
