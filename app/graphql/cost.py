"""Query cost: every field costs 1 and a list multiplies its subtree by `first` (or DEFAULT_LIST_SIZE).

Computed on the validated document with the request's variables, before anything runs; a query over
`max_cost` is refused with an error naming the limit and the cost. Every executed response reports its
cost in `extensions.cost`. Introspection is counted like any other query."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from strawberry.extensions import SchemaExtension

# What an unbounded list (no `first`) is assumed to hold.
DEFAULT_LIST_SIZE = 5
CODE = "QUERY_TOO_COSTLY"


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], variables: Any) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables or {}

    def selections(self, node: SelectionSetNode | None, parent: Any, pending: int | None) -> int:
        total = 0
        for sel in node.selections if node else ():
            if isinstance(sel, FieldNode):
                total += self.field(sel, parent, pending)
            elif isinstance(sel, InlineFragmentNode):
                on = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += self.selections(sel.selection_set, on, pending)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in self.fragments:
                fragment = self.fragments[sel.name.value]
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(fragment.selection_set, on, pending)
        return total

    def field(self, node: FieldNode, parent: Any, pending: int | None) -> int:
        definition = self._definition(node.name.value, parent)
        if definition is None:  # __typename
            return 1
        first = self._first(node, definition)
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            multiplier, below = first or pending or DEFAULT_LIST_SIZE, None
        else:  # a connection or payload: its `first` sizes the list right below it (edges, hits)
            multiplier, below = 1, first
        return 1 + multiplier * self.selections(node.selection_set, get_named_type(definition.type), below)

    def _definition(self, name: str, parent: Any) -> Any:
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        return getattr(parent, "fields", {}).get(name)

    def _first(self, node: FieldNode, definition: Any) -> int | None:
        args = {a.name.value: a.value for a in node.arguments or ()}
        if "first" in args:
            return self._int(args["first"])
        if "input" in args:
            return self._int_in(args["input"])
        default = getattr(definition.args.get("first"), "default_value", None)
        return default if isinstance(default, int) else None

    def _int(self, value: ValueNode) -> int | None:
        if isinstance(value, VariableNode):
            found = self.variables.get(value.name.value)
            return max(found, 0) if isinstance(found, int) and not isinstance(found, bool) else None
        return max(int(value.value), 0) if isinstance(value, IntValueNode) else None

    def _int_in(self, value: ValueNode) -> int | None:
        if isinstance(value, VariableNode):
            found = self.variables.get(value.name.value)
            first = found.get("first") if isinstance(found, dict) else None
            return max(first, 0) if isinstance(first, int) and not isinstance(first, bool) else None
        if isinstance(value, ObjectValueNode):
            fields = {f.name.value: f.value for f in value.fields}
            return self._int(fields["first"]) if "first" in fields else None
        return None


def query_cost(schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Any) -> int:
    """The cost of the operation that will run (0 when the document names none)."""
    definitions = getattr(document, "definitions", ())
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if not chosen:
        return 0
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    return _Walk(schema, fragments, variables).selections(operation.selection_set, root, None)


class QueryCost(SchemaExtension):
    """Refuse a query over the budget before it runs; report every executed query's cost."""

    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        self.cost = query_cost(ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables)
        if self.cost > self.max_cost and not ctx.result:
            message = f"query cost {self.cost} exceeds the limit of {self.max_cost}; ask for fewer items (first)"
            error = GraphQLError(message, extensions={"code": CODE, "cost": self.cost, "limit": self.max_cost})
            ctx.result = ExecutionResult(data=None, errors=[error])
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}
