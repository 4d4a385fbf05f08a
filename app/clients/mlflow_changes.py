"""What changed in MLflow since the last import: pure comparisons of MLflow's metadata with what the
registry holds, so a re-import writes only the differences (through `updateMetadata`, `setAlias` and
`removeAlias`, i.e. policy and audit apply) and an unchanged item writes nothing.

MLflow owns what the import copied from it: a registered model's description (and its licence tag), a
version's description (our `notes`) and the `tag_*` custom properties. Aliases are different: the
registry may have aliases of its own on an imported model, so only aliases a previous import mirrored
(recorded in the model's `mlflow_aliases` property) are ever removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROP_OK = re.compile(r"[^a-z0-9_]+")
TAG_PREFIX = "tag_"
ALIAS_RECORD = "mlflow_aliases"
MAX_VALUE = 4096


def prop_of(value: str) -> str:
    """An MLflow tag name as a custom property name (tag_<lowercase, digits, _>)."""
    return (TAG_PREFIX + PROP_OK.sub("_", value.lower()))[:64]


def tag_props(tags: Mapping[str, Any] | None) -> dict[str, str]:
    return {prop_of(k): str(v)[:MAX_VALUE] for k, v in (tags or {}).items()}


def custom_of(node: Any) -> dict[str, Any]:
    """The custom properties of a model or version read through the client."""
    return {p.name: p.value for p in node.custom}


@dataclass(frozen=True)
class Changes:
    """Field changes and custom properties to write; tag properties MLflow no longer has (kept,
    because the registry never deletes a custom property: reported instead)."""

    fields: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields or self.custom)

    def described(self) -> str:
        return ", ".join(sorted(self.fields) + sorted(self.custom))


def _text(value: str | None) -> str | None:
    return value or None


def diff(
    ours_fields: Mapping[str, str | None],
    theirs_fields: Mapping[str, str | None],
    ours_custom: Mapping[str, Any],
    theirs_tags: Mapping[str, Any] | None,
) -> Changes:
    """Fields whose text differs (empty and missing are the same) and tag properties that MLflow
    added or changed; tag properties present here but gone from MLflow are `dropped`."""
    fields = {k: v for k, v in theirs_fields.items() if _text(v) != _text(ours_fields.get(k))}
    wanted = tag_props(theirs_tags)
    custom = {k: v for k, v in wanted.items() if str(ours_custom.get(k)) != v or k not in ours_custom}
    dropped = tuple(sorted(k for k in ours_custom if k.startswith(TAG_PREFIX) and k not in wanted))
    return Changes(fields, custom, dropped)


def model_changes(ours: Any, model: Any) -> Changes:
    """A registered model: its description, its licence tag (when it has one) and its tags."""
    tags = dict(model.tags or {})
    theirs: dict[str, str | None] = {"description": model.description}
    licence = tags.get("licence") or tags.get("license")
    if licence:
        theirs["licence"] = licence
    current = {"description": ours.description, "licence": ours.licence}
    return diff(current, theirs, custom_of(ours), tags)


def version_changes(ours: Any, version: Any) -> Changes:
    """A model version: MLflow's description is our `notes`; its tags are `tag_*` properties."""
    return diff({"notes": ours.notes}, {"notes": version.description}, custom_of(ours), version.tags)


@dataclass(frozen=True)
class AliasPlan:
    """Aliases to point (new ones and moves), to remove, already right, and moved in the registry
    since the last import (left as they are: the registry's own decision wins over a stale mirror)."""

    point: dict[str, int]
    remove: tuple[str, ...]
    same: dict[str, int]
    kept: tuple[str, ...]


def alias_plan(theirs: Mapping[str, int], ours: Mapping[str, int], mirrored: Mapping[str, int]) -> AliasPlan:
    """`theirs`: MLflow's aliases as our version numbers; `ours`: the registry's now; `mirrored`: where
    the last import left each alias it set. An alias MLflow did not change but the registry moved
    since is kept; one MLflow dropped is removed only when it still points where the import left it."""
    same = {a: n for a, n in theirs.items() if ours.get(a) == n}
    kept = tuple(sorted(a for a, n in theirs.items() if a not in same and a in ours and mirrored.get(a) == n))
    point = {a: n for a, n in theirs.items() if a not in same and a not in kept}
    remove = tuple(sorted(a for a, n in mirrored.items() if a not in theirs and ours.get(a) == n))
    return AliasPlan(point, remove, same, kept)


def mirrored_aliases(ours: Any) -> dict[str, int]:
    """Where the last import left each alias it mirrored from MLflow (`alias=version,...`)."""
    recorded = str(custom_of(ours).get(ALIAS_RECORD) or "")
    pairs = (item.partition("=") for item in recorded.split(",") if "=" in item)
    return {alias: int(number) for alias, _, number in pairs if number.isdigit()}


def alias_record(aliases: Mapping[str, int]) -> str:
    return ",".join(f"{a}={n}" for a, n in sorted(aliases.items()))
