"""The SDL contract a client codes against: one Error interface, payload unions on every mutation."""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLUnionType, get_named_type

from app.config import Settings
from app.graphql.schema import build_schema

BUILTIN_SHADOWS = {"PermissionError", "ValueError", "TypeError", "KeyError", "LookupError", "TimeoutError"}


def _schema() -> object:
    return build_schema(Settings())._schema


def test_every_mutation_returns_a_union_of_one_success_and_only_error_types() -> None:
    schema = _schema()
    mutation = schema.mutation_type  # type: ignore[attr-defined]
    for name, field in mutation.fields.items():
        union = get_named_type(field.type)
        assert isinstance(union, GraphQLUnionType), f"{name} returns {union}, not a payload union"
        failures = [t.name for t in union.types if any(i.name == "Error" for i in t.interfaces)]
        successes = [t.name for t in union.types if t.name not in failures]
        assert len(successes) == 1, f"{name}: {successes}"
        assert set(failures) >= {"ValidationError", "NotFoundError", "PermissionDeniedError", "UnavailableError"}


def test_error_interface_has_code_message_and_field_and_no_type_shadows_a_builtin() -> None:
    schema = _schema()
    error = schema.type_map["Error"]  # type: ignore[attr-defined]
    assert {n: str(f.type) for n, f in error.fields.items()} == {
        "code": "String!",
        "message": "String!",
        "field": "String",
    }
    names = set(schema.type_map)  # type: ignore[attr-defined]
    assert not names & BUILTIN_SHADOWS
    objects = {n for n, t in schema.type_map.items() if isinstance(t, GraphQLObjectType)}  # type: ignore[attr-defined]
    assert not {n for n in objects if n.endswith(("Type", "Info")) and n not in ("PageInfo", "__Type")}
    assert "AdminResult" not in names and "InvalidSearchInput" not in names


def test_search_fails_with_the_common_validation_error() -> None:
    schema = _schema()
    payload = schema.type_map["SearchPayload"]  # type: ignore[attr-defined]
    assert isinstance(payload, GraphQLUnionType)
    assert "ValidationError" in {t.name for t in payload.types}
    assert all(isinstance(t, GraphQLObjectType) for t in payload.types)


def test_states_and_kinds_are_enums_and_ids_are_ids() -> None:
    schema = _schema()
    expected = {
        ("Run", "status"): "RunStatus",
        ("ModelVersion", "status"): "VersionState",
        ("Review", "status"): "ReviewStatus",
        ("Deployment", "desiredState"): "DesiredState",
        ("Deployment", "observedState"): "ObservedState",
        ("Deployment", "healthStatus"): "HealthStatus",
        ("HealthWindow", "status"): "HealthStatus",
        ("DeploymentEvent", "type"): "DeploymentEventType",
        ("LineageNode", "kind"): "LineageNodeKind",
        ("LineageEdge", "type"): "LineageEdgeType",
        ("AuditEvent", "decision"): "AuditDecision",
    }
    types = schema.type_map  # type: ignore[attr-defined]
    assert {key: get_named_type(types[key[0]].fields[key[1]].type).name for key in expected} == expected
    for name in ("Term", "SavedSearch", "SearchHit", "TermSuccess", "SaveSearchSuccess"):
        assert str(get_named_type(types[name].fields[_id_field(types[name])].type)) == "ID"


def _id_field(t: object) -> str:
    return next(n for n in t.fields if n == "id" or n.endswith("Id"))  # type: ignore[attr-defined]


# Named like ids but not node ids: a request's correlation id, another system's id, and a grant's
# resource, which may be "*".
NOT_NODE_IDS = {"requestId", "externalId", "resourceId"}


def test_every_node_id_field_argument_and_input_field_is_an_id() -> None:
    schema = _schema()
    wrong = []
    for type_name, t in schema.type_map.items():  # type: ignore[attr-defined]
        if type_name.startswith("__") or not hasattr(t, "fields"):
            continue
        for field_name, field in t.fields.items():
            named = [(field_name, field.type)] + [(a, arg.type) for a, arg in getattr(field, "args", {}).items()]
            for name, kind in named:
                is_id_name = name == "id" or name.endswith(("Id", "Ids"))
                external = name.endswith("ExternalId")  # another system's id (an OpenLineage run's)
                if is_id_name and not external and name not in NOT_NODE_IDS and get_named_type(kind).name != "ID":
                    wrong.append(f"{type_name}.{field_name}{'' if name == field_name else '(' + name + ')'}: {kind}")
    assert not wrong, wrong


def test_the_schema_only_grows_after_a_release() -> None:
    from app.graphql.schema import RELEASED_SDL_PATH, breaking_changes, export_sdl

    current = export_sdl(Settings())
    assert RELEASED_SDL_PATH.exists(), "no released SDL to compare with: `modelgraph export-schema --release`"
    assert breaking_changes(RELEASED_SDL_PATH.read_text(encoding="utf-8"), current) == []


def test_the_additive_check_catches_removals_and_new_required_arguments_but_not_additions() -> None:
    from app.graphql.schema import breaking_changes

    released = "type Query { a: Int\n b(x: Int): String }"
    assert breaking_changes(released, "type Query { a: Int\n b(x: Int, y: Int): String\n c: ID }") == []
    assert breaking_changes(released, "type Query { a: Int }") == ["FIELD_REMOVED: Field Query.b was removed."]
    required = breaking_changes(released, "type Query { a: Int\n b(x: Int, y: Int!): String }")
    assert required == ["REQUIRED_ARG_ADDED: A required argument Query.b(y:) was added."]


def test_mutations_asked_with_their_command_exist_and_exclude_those_writing_elsewhere() -> None:
    """The read gate defers only for mutations that write through `execute`; a renamed field would
    silently fall back to asking up front, and these write (or decide) outside it."""
    from app.graphql.read_gate import ASKED_WITH_THE_COMMAND

    fields = set(_schema().mutation_type.fields)  # type: ignore[attr-defined]
    assert ASKED_WITH_THE_COMMAND <= fields, ASKED_WITH_THE_COMMAND - fields
    writing_elsewhere = {"createWebhookSubscription", "approveReview", "rejectReview", "redeliverWebhook"}
    assert not ASKED_WITH_THE_COMMAND & writing_elsewhere
