"""The one registry of write commands: every command class with its handler, listed here by hand
(no registration by import side effect). A name nobody registered is NotFound."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from app.errors import NotFound
from app.events import subscriptions
from app.registry import core, governance, history, run_metrics, vocab
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
        route(c.CreateProject, core.create_project),
        route(c.CreateExperiment, core.create_experiment),
        route(c.RegisterDatasetVersion, core.register_dataset_version),
        route(c.RegisterFeature, core.register_feature),
        route(c.StartRun, core.start_run),
        route(c.AddRunInputs, core.add_run_inputs),
        route(c.FinishRun, core.finish_run),
        route(c.CreateModel, core.create_model),
        route(c.RegisterModelVersion, core.register_model_version),
        route(c.RegisterModelVersions, core.register_model_versions),
        route(c.MoveAlias, core.move_alias),
        route(c.RemoveAlias, core.remove_alias),
        route(c.ArchiveVersion, core.archive_version),
        route(c.UpdateMetadata, core.update_metadata),
        route(h.RecordEvaluation, history.record_evaluation),
        route(h.Annotate, history.annotate),
        route(h.RecordFeedback, history.record_feedback),
        route(h.CreateDeployment, history.create_deployment),
        route(h.RecordDeploymentEvent, history.record_deployment_event),
        route(h.ReportHealth, history.report_health),
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
