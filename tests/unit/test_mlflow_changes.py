"""What a re-import of an MLflow store writes: only differences, and never an alias the registry
owns (pure comparisons of `app.clients.mlflow_changes`, no services)."""

from __future__ import annotations

from types import SimpleNamespace

from app.clients.mlflow_changes import AliasPlan, alias_plan, alias_record, mirrored_aliases, version_changes


def node(**custom: object) -> SimpleNamespace:
    return SimpleNamespace(custom=[SimpleNamespace(name=k, value=v) for k, v in custom.items()], notes=None)


def test_an_unchanged_version_has_nothing_to_write_and_empty_equals_missing() -> None:
    ours = node(tag_stage="candidate", mlflow_version=1)
    changes = version_changes(ours, SimpleNamespace(description="", tags={"stage": "candidate"}))
    assert not changes and changes.dropped == ()


def test_changed_and_new_tags_are_written_and_a_deleted_tag_is_reported() -> None:
    ours = node(tag_stage="candidate", tag_owner="ines", mlflow_version=1)
    changes = version_changes(ours, SimpleNamespace(description="retrained", tags={"stage": "ok", "Team X": "r"}))
    assert changes.fields == {"notes": "retrained"}
    assert changes.custom == {"tag_stage": "ok", "tag_team_x": "r"}
    assert changes.dropped == ("tag_owner",)


def test_aliases_follow_mlflow_but_the_registry_keeps_what_it_moved_or_set_itself() -> None:
    ours = {"staging": 2, "challenger": 1, "production": 3, "canary": 4, "shadow": 2}
    mirrored = {"staging": 2, "challenger": 1, "canary": 1, "shadow": 1}
    theirs = {"staging": 1, "canary": 1, "new": 2}
    plan = alias_plan(theirs, ours, mirrored)
    # staging moved in MLflow; canary moved in the registry since (MLflow unchanged): kept; challenger
    # deleted in MLflow and untouched here: removed; shadow moved here then deleted in MLflow: kept;
    # production was never mirrored: never touched.
    assert plan == AliasPlan(point={"staging": 1, "new": 2}, remove=("challenger",), same={}, kept=("canary",))


def test_the_alias_record_reads_back_what_it_wrote_and_ignores_noise() -> None:
    record = alias_record({"staging": 2, "a": 10})
    assert record == "a=10,staging=2"
    assert mirrored_aliases(node(mlflow_aliases=record + ",junk,x=y")) == {"a": 10, "staging": 2}
