"""Every GraphQL error leaves typed: registry errors carry their code and field, errors in the
caller's variables name the variable, and only the unforeseen is masked (and logged). Each root
field's outcome is counted by operation and code, and a response whose only outcome is an
unavailable dependency is an HTTP 503."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from typing import Any

from graphql import ASTValidationRule, ExecutionResult, FloatValueNode, GraphQLError, IntValueNode, Node
from graphql.language import FieldNode, OperationDefinitionNode
from strawberry.extensions import MaskErrors

from app.errors import PermissionDenied, RegistryError

log = logging.getLogger(__name__)

UNAVAILABLE = "DEPENDENCY_UNAVAILABLE"
VARIABLE = re.compile(r"^Variable '\$(\w+)'")
# Outside the dev profile, "Did you mean ...?" hints are cut: they would map the schema for a guesser.
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?", re.S)


def typed(error: GraphQLError, code: str, field: str | None, **more: Any) -> GraphQLError:
    extensions = {**(error.extensions or {}), "code": code, "field": field, **more}
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


class TypedErrors(MaskErrors):
    """MaskErrors that first gives every foreseeable error a code (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True, error_message="Unexpected error.")

    def on_operation(self) -> Iterator[None]:
        self._recorded = False
        yield from super().on_operation()
        if not self._recorded:  # no errors at all: count the outcomes the payloads reported
            record_outcomes(self.execution_context, [])

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = [self._one(error) for error in errors]
        record_outcomes(self.execution_context, processed)
        self._recorded = True
        return processed

    def _one(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, RegistryError):
            reasons = original.reasons if isinstance(original, PermissionDenied) else []
            return typed(error, original.code, original.field, **({"reasons": reasons} if reasons else {}))
        if original is None or isinstance(original, GraphQLError):  # about the caller's document or variables
            error = self._without_suggestions(error)
            if (error.extensions or {}).get("code"):
                return error
            variable = VARIABLE.match(error.message)
            if variable:
                return typed(error, "VALIDATION_FAILED", variable.group(1))
            return typed(error, "GRAPHQL_VALIDATION_FAILED", None)
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error("unexpected error in %s (request %s)", error.path, request_id, exc_info=original)
        masked = self.anonymise_error(error)
        return typed(masked, "INTERNAL_ERROR", None)

    def _without_suggestions(self, error: GraphQLError) -> GraphQLError:
        services = getattr(self.execution_context.context, "services", None)
        profile = getattr(getattr(services, "settings", None), "profile", "dev")
        if profile == "dev" or "Did you mean" not in error.message:
            return error
        return GraphQLError(
            SUGGESTION.sub("", error.message),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=error.original_error,
            extensions=error.extensions,
        )


def _root_fields(execution_context: Any) -> dict[str, str]:
    """Response key -> schema field name of the operation's root fields ("other" when unknown)."""
    document = getattr(execution_context, "graphql_document", None)
    schema = execution_context.schema._schema
    operation = next((d for d in getattr(document, "definitions", []) if isinstance(d, OperationDefinitionNode)), None)
    if operation is None:
        return {}
    root = schema.get_root_type(operation.operation)
    known = set(root.fields) if root is not None else set()
    fields: dict[str, str] = {}
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            fields[key] = selection.name.value if selection.name.value in known else "other"
    return fields


def answer_instead(execution_context: Any, error: GraphQLError) -> None:
    """Make `error` the whole answer of an operation that already ran (from an extension's
    `on_execute`, after its yield). The result is changed in place: Strawberry returns the object it
    executed, so assigning a new result there would be ignored and the data sent anyway."""
    execution_context.context.failures = {}
    result = execution_context.result
    if result is None:
        execution_context.result = ExecutionResult(data=None, errors=[error])
    else:
        result.data, result.errors = None, [error]


def record_outcomes(execution_context: Any, errors: list[GraphQLError]) -> None:
    """Count each root field's outcome; make the response a 503 when every one was unavailable."""
    context = execution_context.context
    fields = _root_fields(execution_context) or {"(invalid)": "(invalid)"}
    codes: dict[str, str] = dict(getattr(context, "failures", {}))
    for error in errors:
        code = str((error.extensions or {}).get("code") or "INTERNAL_ERROR")
        keys = [str(error.path[0])] if error.path else list(fields)
        for key in keys:
            codes.setdefault(key, code)
    context.failures = codes
    outcomes = {fields[k]: codes.get(k, "OK") for k in fields}
    scope = getattr(getattr(context, "request", None), "scope", None)
    if isinstance(scope, dict):  # for the request's log line (app/web/request_log.py)
        scope.setdefault("state", {})["graphql_outcomes"] = outcomes
    _count(context, outcomes)


def _count(context: Any, outcomes: dict[str, str]) -> None:
    metrics = getattr(getattr(getattr(context, "request", None), "app", None), "state", None)
    counter = getattr(getattr(metrics, "metrics", None), "graphql", None)
    for field, code in outcomes.items():
        if counter is not None:
            counter.labels(field, code).inc()
    response = getattr(context, "response", None)
    unavailable = outcomes and all(code == UNAVAILABLE for code in outcomes.values())
    if unavailable and response is not None and hasattr(response, "status_code"):
        response.status_code = 503


class FiniteNumbers(ASTValidationRule):
    """Number literals beyond what a float holds (1e400) are refused, naming the field."""

    def enter_float_value(self, node: FloatValueNode, *args: Any) -> None:
        self._check(node, args)

    def enter_int_value(self, node: IntValueNode, *args: Any) -> None:
        self._check(node, args)

    def _check(self, node: FloatValueNode | IntValueNode, args: tuple[Any, ...]) -> None:
        if math.isfinite(float(node.value)):
            return
        ancestors: list[Node] = [*(args[3] if len(args) > 3 else []), args[1]] if len(args) > 1 else []
        named = [a for a in ancestors if hasattr(a, "name") and getattr(a, "name", None) is not None]
        field = named[-1].name.value if named else "value"
        message = f"{field}: {node.value} is out of range (must be a finite number)"
        self.report_error(GraphQLError(message, node, extensions={"code": "VALIDATION_FAILED", "field": field}))
