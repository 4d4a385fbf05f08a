"""Write commands: one explicit registry, and a JSON payload form that pending reviews store and
replay (`command name + payload` must come back as the same typed command)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import types
from datetime import UTC, datetime
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest

import app.registry
from app.errors import NotFound, ValidationFailed
from app.events import subscriptions
from app.registry.commands import core as c
from app.registry.commands import governance as g
from app.registry.commands import history as h
from app.registry.commands import run_metrics as m
from app.registry.commands import vocab as t
from app.registry.commands import webhooks as w
from app.registry.commands.base import Command, Record
from app.registry.handlers import COMMANDS, HANDLERS, command_class, command_from, handler_for

COMMAND_MODULES = (c, g, h, m, t, w)
# Every module of app/registry (and the webhook subscriptions' commands): a handler written in any of
# them but missing from the registry fails the test below.
HANDLER_MODULES = (
    *(importlib.import_module(f"app.registry.{m.name}") for m in pkgutil.iter_modules(app.registry.__path__)),
    subscriptions,
)
AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def sample(hint: Any) -> Any:
    """A value of every field, optional ones included, so the round trip covers each of them."""
    if get_origin(hint) in (Union, types.UnionType):
        return sample(next(a for a in get_args(hint) if a is not type(None)))
    if isinstance(hint, type) and issubclass(hint, Record):
        hints = get_type_hints(hint)
        return hint(**{f.name: sample(hints[f.name]) for f in dataclasses.fields(hint)})
    if get_origin(hint) is tuple:
        return (sample(get_args(hint)[0]),)
    return {str: "x", int: 3, float: 0.5, bool: True, datetime: AT}.get(hint, {"k": [1, "v"]})


def defined_commands() -> set[type[Command]]:
    return {
        cls
        for module in COMMAND_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, Command) and cls is not Command
    }


def command_name(cls: type[Command]) -> str:
    return cls.command_name


@pytest.mark.parametrize("cls", [COMMANDS[name] for name in sorted(COMMANDS)], ids=command_name)
def test_every_command_round_trips_through_the_form_a_review_stores(cls: type[Command]) -> None:
    command = sample(cls)
    stored = json.dumps(command.to_payload(), default=str)  # as app/registry/reviews.py stores it
    replayed = command_from(cls.command_name, json.loads(stored))
    assert replayed == command
    assert type(replayed) is cls


def test_the_registry_lists_every_command_and_every_handler() -> None:
    assert set(HANDLERS) == defined_commands()
    handlers = {
        fn
        for module in HANDLER_MODULES
        for fn in vars(module).values()
        if inspect.iscoroutinefunction(fn)
        and fn.__module__ == module.__name__
        and any(
            isinstance(p, type) and issubclass(p, Command) and p is not Command for p in get_type_hints(fn).values()
        )
    }
    assert handlers == set(HANDLERS.values())
    assert len(COMMANDS) == len(HANDLERS)  # no two commands share a name


def test_a_pending_review_stored_before_commands_were_typed_replays() -> None:
    """Payloads as resolvers stored them: snake_case keys, nulls left out, datetimes by str()."""
    stored = {
        "model": "churn",
        "run_id": "run_1",
        "artifact": {"uri": "s3://b/m.pkl", "digest": "sha256:" + "ab" * 32, "size": 10},
        "feature_importance": [{"feature": "age", "score": 0.4}],
        "custom": {"team": {"value": "risk", "classification": "internal"}},
    }
    version = command_from("register_model_version", stored)
    assert version == c.RegisterModelVersion(
        model="churn",
        run_id="run_1",
        artifact=c.Artifact(uri="s3://b/m.pkl", digest="sha256:" + "ab" * 32, size=10),
        feature_importance=(c.FeatureImportance(feature="age", score=0.4),),
        custom={"team": {"value": "risk", "classification": "internal"}},
    )
    assert version.to_payload() == stored
    grant = command_from("create_grant", {"principal": "pat", "action": "promote", "expires_at": str(AT)})
    assert grant == g.CreateGrant(principal="pat", action="promote", expires_at=AT)


def test_an_unknown_command_is_not_found() -> None:
    with pytest.raises(NotFound) as missing:
        command_class("drop_everything")
    assert missing.value.field == "command"
    assert missing.value.message == "command: unknown command 'drop_everything'"


def test_an_unregistered_command_class_is_not_found() -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Stray(Command):
        command_name = "stray"

    with pytest.raises(NotFound) as missing:
        handler_for(Stray())
    assert missing.value.message == "command: unknown command 'stray'"


def test_a_payload_names_the_field_it_gets_wrong() -> None:
    with pytest.raises(ValidationFailed) as unknown:
        command_from("move_alias", {"model": "m", "alias": "a", "version": 1, "force": True})
    assert (unknown.value.field, unknown.value.message) == ("force", "force: unknown field")
    with pytest.raises(ValidationFailed) as missing:
        command_from("register_model_versions", {"model": "m", "versions": [{"artifact": {}}]})
    assert missing.value.field == "versions[0].runId"
    assert missing.value.message == "versions[0].runId: is required"
    with pytest.raises(ValidationFailed) as nested:
        command_from("create_deployment", {"name": "d", "model": "m", "environment": "prod"})
    assert nested.value.message == "environment: must be an object"
    with pytest.raises(ValidationFailed) as timestamp:
        command_from("start_run", {"experiment_id": "e", "started_at": "yesterday"})
    assert timestamp.value.message == "startedAt: must be an ISO 8601 timestamp with a timezone"


def test_commands_are_frozen() -> None:
    alias = c.MoveAlias(model="churn", alias="production", version=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        alias.version = 3  # type: ignore[misc]
