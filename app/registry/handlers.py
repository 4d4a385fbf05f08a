"""The one registry of write commands: every command class with its handler, listed here by hand
(no registration by import side effect). A name nobody registered is NotFound."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from app.errors import NotFound
from app.events import subscriptions
from app.registry import (
    datasets,
    deployments,
    evaluations,
    governance,
    health,
    lifecycle,
    metadata,
    models,
    projects,
    run_metrics,
    runs,
    vocab,
)
from app.registry.actor import RequestMeta
from app.registry.commands import core as c
from app.registry.commands import governance as g
from app.registry.commands import history as h
from app.registry.commands import run_metrics as m
from app.registry.commands import vocab as t
from app.registry.commands import webhooks as w
from app.registry.commands.base import Command
from app.registry.plan import Plan
from app.services import Services

C = TypeVar("C", bound=Command)
Handler = Callable[[Services, RequestMeta, C], Awaitable[Plan]]


def route(cls: type[C], handler: Handler[C]) -> tuple[type[Command], Handler[Any]]:
    """One registry entry; the type checker holds the handler to the command type it takes."""
    return cls, handler


HANDLERS: Mapping[type[Command], Handler[Any]] = dict(
    (
        route(c.CreateProject, projects.create_project),
        route(c.CreateExperiment, projects.create_experiment),
        route(c.RegisterDatasetVersion, datasets.register_dataset_version),
        route(c.RegisterFeature, datasets.register_feature),
        route(c.StartRun, runs.start_run),
        route(c.AddRunInputs, runs.add_run_inputs),
        route(c.FinishRun, runs.finish_run),
        route(c.CreateModel, models.create_model),
        route(c.RegisterModelVersion, models.register_model_version),
        route(c.RegisterModelVersions, models.register_model_versions),
        route(c.MoveAlias, lifecycle.move_alias),
        route(c.RemoveAlias, lifecycle.remove_alias),
        route(c.ArchiveVersion, lifecycle.archive_version),
        route(c.UpdateMetadata, metadata.update_metadata),
        route(h.RecordEvaluation, evaluations.record_evaluation),
        route(h.Annotate, evaluations.annotate),
        route(h.RecordFeedback, evaluations.record_feedback),
        route(h.CreateDeployment, deployments.create_deployment),
        route(h.RecordDeploymentEvent, deployments.record_deployment_event),
        route(h.ReportHealth, health.report_health),
        route(g.CreatePrincipal, governance.create_principal),
        route(g.IssueApiKey, governance.issue_api_key),
        route(g.RevokeApiKey, governance.revoke_api_key),
        route(g.CreateGrant, governance.create_grant),
        route(g.RevokeGrant, governance.revoke_grant),
        route(t.UpsertTerm, vocab.upsert_term),
        route(t.SeedVocabularies, vocab.seed_vocabularies),
        route(t.SaveSearch, vocab.save_search),
        route(w.CreateWebhookSubscription, subscriptions.create_subscription),
        route(w.DeleteWebhookSubscription, subscriptions.delete_subscription),
        route(w.RedeliverWebhook, subscriptions.redeliver),
        route(m.LogRunMetrics, run_metrics.log_run_metrics),
    )
)
COMMANDS: Mapping[str, type[Command]] = {cls.command_name: cls for cls in HANDLERS}

# Commands after which nothing cached about who may do what is valid any more.
CHANGES_PRINCIPALS: frozenset[type[Command]] = frozenset(
    {g.CreatePrincipal, g.IssueApiKey, g.RevokeApiKey, g.CreateGrant, g.RevokeGrant}
)


def command_class(name: str) -> type[Command]:
    found = COMMANDS.get(name)
    if found is None:
        raise NotFound(f"command: unknown command {name!r}", field="command")
    return found


def command_from(name: str, payload: Mapping[str, Any]) -> Command:
    """A command from its stored or requested form (a review's command and payload, a policy check)."""
    return command_class(name).from_payload(payload)


def handler_for(command: Command) -> Handler[Any]:
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise NotFound(f"command: unknown command {command.command_name!r}", field="command")
    return handler
