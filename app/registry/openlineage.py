"""OpenLineage intake: RunEvents from any producer become projects, experiments, dataset versions,
runs and model versions, through the same write path (validation, policy, audit, idempotency) as
every other write.

Mapping: job.namespace → Project, job.name → Experiment, run.runId → Run.external_id. A dataset
(inputs and outputs alike) is found by its OpenLineage identity (namespace + name, see
app/domain/openlineage.py): the dataset registered with that source, whatever it is called; a
dataset seen first here is registered under its own name (not its namespace). Inputs link the run
to the dataset's latest version (USED). When the run COMPLETEs, each output becomes a new version
of its dataset produced by the run (PRODUCED_BY), and an output with the `modelgraph_model` facet
becomes a version of that model trained by the run (or, when policy wants a person to look, a
review that registers it once approved). START opens the run; COMPLETE / FAIL / ABORT
finish it as FINISHED / FAILED / KILLED (a terminal event without a START opens and finishes it).
RUNNING and OTHER are acknowledged only. Facets are kept whole (unknown ones too) beside what the
standard ones mean. Every step has its own idempotency key, so a re-sent event writes nothing new.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from app.artifacts import STORED_URI
from app.domain import openlineage as ol
from app.domain import validation as v
from app.errors import NotFound, ValidationFailed
from app.graph.model_records import ModelVersion
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.commands.base import Command
from app.registry.execute import execute
from app.registry.lookups import reader
from app.services import Services

END_STATES = {"COMPLETE": "FINISHED", "FAIL": "FAILED", "ABORT": "KILLED"}
EVENT_TYPES = ("START", "RUNNING", *END_STATES, "OTHER")
NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_DATASETS = 100


def registry_name(field: str, raw: Any) -> str:
    """OpenLineage names may hold '/', ':' and spaces; ours may not: map them to '-'."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationFailed(f"{field}: is required", field=field)
    cleaned = NOT_A_NAME.sub("-", raw.strip()).strip("-.")[:128]
    return v.name(field, cleaned or "unnamed")


def parse_time(raw: Any) -> datetime | None:
    if raw is None:
        return None
    try:
        return v.utc("eventTime", datetime.fromisoformat(str(raw).replace("Z", "+00:00")))
    except ValueError:
        raise ValidationFailed("eventTime: must be an ISO 8601 timestamp with a timezone", field="eventTime") from None


@dataclass(frozen=True)
class DatasetRef:
    """One input or output of an event, checked."""

    identity: ol.Identity
    facets: dict[str, Any]
    model: ol.ModelOutput | None = None


def _datasets(event: dict[str, Any], side: str) -> list[DatasetRef]:
    raw = event.get(side) or []
    if not isinstance(raw, list) or len(raw) > MAX_DATASETS:
        raise ValidationFailed(f"{side}: must be a list of at most {MAX_DATASETS} datasets", field=side)
    found: dict[str, DatasetRef] = {}
    for index, item in enumerate(raw):
        where = f"{side}[{index}]"
        if not isinstance(item, dict):
            raise ValidationFailed(f"{where}: must be a dataset object", field=where)
        facets = _facets(f"{where}.facets", item)
        # inputFacets / outputFacets (e.g. outputStatistics) describe this run's use of the dataset.
        io = "inputFacets" if side == "inputs" else "outputFacets"
        facets = {**facets, **_facets(f"{where}.{io}", item, io)}
        ol.facets_json(f"{where}.facets", facets)
        ident = ol.identity(where, item.get("namespace"), item.get("name"))
        model = ol.model_output(f"{where}.facets", facets) if side == "outputs" else None
        found.setdefault(ident.key, DatasetRef(ident, facets, model))
    return list(found.values())


def _facets(field: str, holder: dict[str, Any], key: str = "facets") -> dict[str, Any]:
    facets = holder.get(key)
    if facets is None:
        return {}
    if not isinstance(facets, dict):
        raise ValidationFailed(f"{field}: must be an object", field=field)
    ol.facets_json(field, facets)
    return facets


@dataclass
class Report:
    """What an event created and linked: the answer of POST /api/v1/lineage."""

    run: str | None = None
    status: str = "acknowledged"
    created: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, run_id: str) -> dict[str, Any]:
        return {
            "run": self.run,
            "externalId": run_id,
            "status": self.status,
            "created": self.created,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "models": self.models,
        }


@dataclass(frozen=True)
class Intake:
    services: Services
    meta: RequestMeta
    run_id: str
    report: Report

    async def do(self, key: str, command: Command, kind: str | None) -> tuple[dict[str, Any], bool]:
        """One command under its own idempotency key; says whether this call wrote it (and lists
        what it created when it makes a node of `kind`)."""
        outcome = await execute(self.services, replace(self.meta, idempotency_key=key), command)
        if outcome.result is None:
            raise ValidationFailed(
                f"{command.command_name} was routed to review; OpenLineage intake cannot wait for it"
            )
        if not outcome.replayed and kind is not None:
            self.report.created.append({"kind": kind, "id": str(outcome.result["id"])})
        return outcome.result, not outcome.replayed


async def ingest(services: Services, meta: RequestMeta, event: dict[str, Any]) -> dict[str, Any]:
    kind = v.one_of("eventType", event.get("eventType") or "OTHER", EVENT_TYPES)
    run = event.get("run") or {}
    job = event.get("job") or {}
    if not isinstance(run, dict) or not isinstance(job, dict):
        raise ValidationFailed("run and job: must be objects", field="run")
    run_id = v.short("run.runId", run.get("runId"), required=True) or ""
    project = registry_name("job.namespace", job.get("namespace"))
    experiment = registry_name("job.name", job.get("name"))
    at = parse_time(event.get("eventTime"))
    inputs, outputs = _datasets(event, "inputs"), _datasets(event, "outputs")
    run_facets, job_facets = _facets("run.facets", run), _facets("job.facets", job)
    lineage = {"run_facets": run_facets, "job_facets": job_facets, "producer": event.get("producer")}
    report = Report()
    intake = Intake(services, meta, run_id, report)
    known = await reader(services).run_by_external_id(run_id)
    if kind in ("RUNNING", "OTHER"):
        report.run = known.id if known else None
        return report.answer(run_id)
    if kind == "COMPLETE":
        await _check_models(services, outputs)
    if known is None:
        experiment_id = await _experiment(intake, project, experiment, job_facets)
        used = [await _input(intake, d) for d in inputs]
        opened, _ = await intake.do(
            f"openlineage:{run_id}:start",
            cmd.StartRun(
                experiment_id=experiment_id,
                name=experiment,
                external_id=run_id,
                inputs=tuple(used),
                started_at=at,
                notes=f"reported through OpenLineage by {event.get('producer', 'an unknown producer')}",
                openlineage=lineage,
            ),
            "Run",
        )
        report.run = str(opened["id"])
    else:
        report.run = known.id
        if known.status == "RUNNING" and inputs:
            await _more_inputs(intake, inputs)
    if kind == "COMPLETE":
        for out in outputs:
            await _output(intake, out)
    if kind in END_STATES:
        await _finish(intake, kind, at, run_facets)
        report.status = "finished"
    else:
        report.status = "started"
    if kind == "COMPLETE":
        for out in outputs:
            if out.model is not None:
                await _model_version(intake, out)
    return report.answer(run_id)


async def _finish(intake: Intake, kind: str, at: datetime | None, run_facets: dict[str, Any]) -> None:
    finish = cmd.FinishRun(
        run_id=str(intake.report.run),
        status=END_STATES[kind],
        ended_at=at,
        openlineage={"run_facets": run_facets},
    )
    known = await reader(intake.services).run(str(intake.report.run))
    if known is not None and known.status != "RUNNING":
        return  # finished before (e.g. a second terminal event): a finished run is immutable
    await intake.do(f"openlineage:{intake.run_id}:end", finish, None)


async def _check_models(services: Services, outputs: list[DatasetRef]) -> None:
    """Refuse an event naming a model that does not exist before anything is written."""
    for out in outputs:
        if out.model is not None and await reader(services).model_by_name(out.model.model) is None:
            where = f"outputs.facets.{ol.MODEL_FACET}.model"
            raise NotFound(f"{where}: no model named {out.model.model!r}; create it first", field=where)


async def _experiment(intake: Intake, project: str, name: str, job_facets: dict[str, Any]) -> str:
    core = reader(intake.services)
    if await core.project(project) is None:
        await intake.do(
            f"openlineage:project:{project}",
            cmd.CreateProject(name=project, description="Created from OpenLineage events"),
            "Project",
        )
    found = await core.experiment(project, name)
    if found is not None:
        return found.id
    described = ol.job_facts(job_facets)["description"] if isinstance(job_facets, dict) else None
    created, _ = await intake.do(
        f"openlineage:experiment:{project}:{name}",
        cmd.CreateExperiment(project=project, name=name, description=described or "OpenLineage job"),
        "Experiment",
    )
    return str(created["id"])


async def _dataset_name(services: Services, ref: DatasetRef) -> str:
    """The registered dataset of this identity, else a new name from the dataset's own name."""
    core = reader(services)
    owner = await core.dataset_of_source(ref.identity.key)
    if owner is not None:
        return owner.name
    plain = ref.identity.registry_name()
    return plain if await core.dataset_by_name(plain) is None else ref.identity.disambiguated_name()


def _registration(
    ref: DatasetRef, dataset: str, description: str, produced_by: str | None = None
) -> cmd.RegisterDatasetVersion:
    facts = ol.dataset_facts(ref.facets)
    return cmd.RegisterDatasetVersion(
        dataset=dataset,
        source_uri=ref.identity.key,
        schema=facts["schema"],
        row_count=facts["row_count"],
        description=facts["description"] or description,
        produced_by=produced_by,
        openlineage={"namespace": ref.identity.namespace, "name": ref.identity.name, "facets": ref.facets},
    )


def _described(ref: DatasetRef, dataset: str, row: dict[str, Any], version: Any, created: bool) -> dict[str, Any]:
    return {
        "namespace": ref.identity.namespace,
        "name": ref.identity.name,
        "dataset": dataset,
        "datasetVersion": str(row["id"]),
        "version": version,
        "created": created,
    }


async def _input(intake: Intake, ref: DatasetRef) -> str:
    """The latest version of the dataset with this identity (registered on first sight)."""
    core = reader(intake.services)
    latest = await core.latest_version_of_source(ref.identity.key)
    if latest is not None:
        dataset, row, created = latest.dataset, {"id": latest.id}, False
        version: Any = latest.version
    else:
        dataset = await _dataset_name(intake.services, ref)
        registration = _registration(ref, dataset, "Seen first as an input of an OpenLineage run")
        row, created = await intake.do(f"openlineage:dataset:{ref.identity.key}", registration, "DatasetVersion")
        version = row.get("version")
    intake.report.inputs.append(_described(ref, dataset, row, version, created))
    return str(row["id"])


async def _more_inputs(intake: Intake, inputs: list[DatasetRef]) -> None:
    """Inputs a later event names (Spark reports some only at the end) join the running run."""
    ids = [await _input(intake, d) for d in inputs]
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]
    await execute(
        intake.services,
        replace(intake.meta, idempotency_key=f"openlineage:{intake.run_id}:inputs:{digest}"),
        cmd.AddRunInputs(run_id=str(intake.report.run), inputs=tuple(ids)),
    )


async def _output(intake: Intake, ref: DatasetRef) -> None:
    """A new version of the output's dataset, produced by the run."""
    dataset = await _dataset_name(intake.services, ref)
    registration = _registration(ref, dataset, "Written by an OpenLineage run", intake.report.run)
    row, created = await intake.do(
        f"openlineage:{intake.run_id}:output:{ref.identity.key}", registration, "DatasetVersion"
    )
    intake.report.outputs.append(_described(ref, dataset, row, row.get("version"), created))


async def _model_version(intake: Intake, ref: DatasetRef) -> None:
    """The model output as a version of its model, trained by the run. Bytes uploaded to our store
    are referenced there; otherwise the output's own location is the artifact's uri."""
    model = ref.model
    assert model is not None
    stored = await intake.services.artifacts.exists(model.digest)
    register = cmd.RegisterModelVersion(
        model=model.model,
        run_id=str(intake.report.run),
        artifact=cmd.Artifact(
            uri=STORED_URI + model.digest if stored else ref.identity.key,
            digest=model.digest,
            size=model.size,
            format=model.format,
        ),
        notes=f"Registered from the OpenLineage output {ref.identity.key}",
    )
    keyed = replace(intake.meta, idempotency_key=f"openlineage:{intake.run_id}:model:{ref.identity.key}")
    outcome = await execute(intake.services, keyed, register)
    described: dict[str, Any] = {"model": model.model, "namespace": ref.identity.namespace, "name": ref.identity.name}
    filed = outcome.review or (outcome.result if (outcome.result or {}).get("kind") == "Review" else None)
    if filed is not None:
        # Policy wants a person to look (e.g. training data that does not declare its rights): the
        # review is filed with the request exactly as made; approving it registers the version.
        reasons = list(outcome.decision.reasons) if outcome.decision else []
        review = {"review": str(filed["id"]), "reasons": reasons, "created": False}
        intake.report.models.append({**described, **review, "status": "REVIEW_REQUIRED"})
        if outcome.review is not None:
            intake.report.created.append({"kind": "Review", "id": str(filed["id"])})
        return
    assert outcome.result is not None
    row = outcome.result
    if not outcome.replayed:
        intake.report.created.append({"kind": "ModelVersion", "id": str(row["id"])})
    version = await reader(intake.services).record(str(row["id"]))
    intake.report.models.append(
        {
            **described,
            "status": "REGISTERED",
            "modelVersion": str(row["id"]),
            "version": version.version if isinstance(version, ModelVersion) else None,
            "created": not outcome.replayed,
        }
    )
