"""OpenLineage in registry terms, without any I/O: dataset identity per the naming spec, what the
standard facets say, and which output is a model.

Identity. The spec names a dataset by (namespace, name), where namespace = `scheme://authority`
(or a bare scheme such as `file` or `bigquery`) and name = the path; together they form a URI.
A registered dataset's `sourceUri` is parsed into the same pair, so both sides meet on one key:
`s3://lake` + `curated/loans.parquet` and a registration with `sourceUri: "s3://lake/curated/loans.parquet"`
are one dataset. The key lowercases the scheme and host (case-insensitive by RFC 3986), keeps the
port, and drops a trailing '/' of the name.

Models. An output dataset that carries the facet `modelgraph_model` (`{"model": NAME, "digest":
"sha256:…", "size": N, "format": "onnx"}`) becomes a version of that registered model, trained by
the run, when the run completes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.domain import validation as v
from app.errors import ValidationFailed

MODEL_FACET = "modelgraph_model"
MAX_FACETS_JSON = 64 * 1024
NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


@dataclass(frozen=True)
class Identity:
    """A dataset as the OpenLineage naming spec names it; `key` is the form both sides compare."""

    namespace: str
    name: str

    @property
    def key(self) -> str:
        if "://" in self.namespace:
            return f"{self.namespace}/{self.name.lstrip('/')}"
        if self.namespace == "file":
            return "file://" + ("" if self.name.startswith("/") else "/") + self.name
        return f"{self.namespace}:{self.name}"

    def registry_name(self) -> str:
        """A dataset name (our name rule) from the dataset's own name, not its namespace."""
        cleaned = NOT_A_NAME.sub("-", self.name.strip()).strip("-.")
        return (cleaned or "dataset")[-128:].lstrip("-._") or "dataset"

    def disambiguated_name(self) -> str:
        """When the plain name is taken by another dataset: the name with a short hash of the key."""
        suffix = "-" + hashlib.sha256(self.key.encode()).hexdigest()[:8]
        return self.registry_name()[: 128 - len(suffix)].rstrip("-._") + suffix


def _namespace(raw: str) -> str:
    raw = raw.strip().rstrip("/")
    if "://" not in raw:
        return raw.lower() if SCHEME.fullmatch(raw) else raw
    scheme, _, authority = raw.partition("://")
    host, slash, rest = authority.partition("/")
    # userinfo never belongs in an identity (and may be a secret): drop it.
    host = host.rpartition("@")[2]
    return f"{scheme.lower()}://{host.lower()}{slash}{rest}"


def identity(field: str, namespace: Any, name: Any) -> Identity:
    """The identity of an OpenLineage dataset reference; refuses what the spec requires."""
    if not isinstance(namespace, str) or not namespace.strip():
        raise ValidationFailed(f"{field}.namespace: is required", field=f"{field}.namespace")
    if not isinstance(name, str) or not name.strip():
        raise ValidationFailed(f"{field}.name: is required", field=f"{field}.name")
    ns = _namespace(namespace)
    clean = name.strip()
    clean = clean.rstrip("/") or clean
    found = Identity(ns, clean)
    v.short(field, found.key)
    return found


def identity_of_uri(uri: str) -> Identity | None:
    """The identity a registered source URI stands for (None when it is no URI, e.g. free text)."""
    uri = uri.strip()
    if uri.startswith("/"):
        return Identity("file", uri.rstrip("/") or "/")
    parts = urlsplit(uri)
    if not parts.scheme or not SCHEME.fullmatch(parts.scheme) or " " in uri:
        return None
    scheme = parts.scheme.lower()
    if scheme == "file":
        return Identity("file", parts.path.rstrip("/") or "/") if parts.path else None
    if parts.netloc:
        name = parts.path.lstrip("/").rstrip("/")
        return Identity(_namespace(f"{scheme}://{parts.netloc}"), name) if name else None
    rest = uri[len(parts.scheme) + 1 :]
    return Identity(scheme, rest.rstrip("/")) if rest else None


def source_key(uri: str | None) -> str | None:
    """The key a registration's sourceUri is compared by; None when it names no dataset location."""
    if not uri:
        return None
    found = identity_of_uri(uri)
    return found.key if found else uri.strip()


def facets_json(field: str, facets: Any) -> str | None:
    """Every facet as sent (standard and unknown alike), kept as JSON; bounded in size."""
    if facets is None:
        return None
    if not isinstance(facets, dict):
        raise ValidationFailed(f"{field}: must be an object of facets", field=field)
    if not facets:
        return None
    text = json.dumps(facets, sort_keys=True, separators=(",", ":"), default=str)
    if len(text) > MAX_FACETS_JSON:
        raise ValidationFailed(f"{field}: facets are larger than {MAX_FACETS_JSON} bytes as JSON", field=field)
    return text


def _facet(facets: dict[str, Any], name: str) -> dict[str, Any]:
    found = facets.get(name)
    return found if isinstance(found, dict) else {}


def schema_text(facets: dict[str, Any]) -> str | None:
    """The schema facet's fields as JSON ([{name, type, description}]), the form `schema` holds."""
    fields = _facet(facets, "schema").get("fields")
    if not isinstance(fields, list) or not fields:
        return None
    kept = [
        {k: f[k] for k in ("name", "type", "description") if isinstance(f.get(k), str)}
        for f in fields
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    ]
    return json.dumps(kept, separators=(",", ":"))[: v.MAX_TEXT] if kept else None


def dataset_facts(facets: dict[str, Any]) -> dict[str, Any]:
    """What the standard dataset facets say, as dataset version properties."""
    source = _facet(facets, "dataSource")
    stats = _facet(facets, "outputStatistics") or _facet(facets, "dataQualityMetrics")
    rows = stats.get("rowCount")
    return {
        "schema": schema_text(facets),
        "description": _text(_facet(facets, "documentation").get("description")),
        "data_source_name": _short(source.get("name")),
        "data_source_uri": _short(source.get("uri")),
        "ol_owners": _owners(facets),
        "row_count": rows if isinstance(rows, int) and not isinstance(rows, bool) and rows >= 0 else None,
    }


def job_facts(facets: dict[str, Any]) -> dict[str, Any]:
    """What the standard job facets say: documentation and ownership."""
    return {
        "description": _text(_facet(facets, "documentation").get("description")),
        "owners": _owners(facets),
    }


@dataclass(frozen=True)
class Parent:
    run_id: str
    job_namespace: str | None
    job_name: str | None


def parent_run(facets: dict[str, Any]) -> Parent | None:
    """The parent facet: the run (and job) this run is part of, e.g. an Airflow DAG run."""
    parent = _facet(facets, "parent")
    run_id = _facet(parent, "run").get("runId")
    if not isinstance(run_id, str) or not run_id.strip():
        return None
    job = _facet(parent, "job")
    return Parent(run_id.strip()[: v.MAX_SHORT], _short(job.get("namespace")), _short(job.get("name")))


@dataclass(frozen=True)
class ModelOutput:
    model: str
    digest: str
    size: int | None
    format: str | None


def model_output(field: str, facets: dict[str, Any]) -> ModelOutput | None:
    """An output that says it is a model (facet `modelgraph_model`); its digest is required."""
    facet = facets.get(MODEL_FACET)
    if facet is None:
        return None
    if not isinstance(facet, dict):
        raise ValidationFailed(f"{field}.{MODEL_FACET}: must be an object", field=f"{field}.{MODEL_FACET}")
    return ModelOutput(
        model=v.name(f"{field}.{MODEL_FACET}.model", str(facet.get("model") or "")),
        digest=v.digest(f"{field}.{MODEL_FACET}.digest", str(facet.get("digest") or "")),
        size=_size(f"{field}.{MODEL_FACET}.size", facet.get("size")),
        format=v.short(f"{field}.{MODEL_FACET}.format", facet.get("format")),
    )


def _owners(facets: dict[str, Any]) -> list[str]:
    """Owner names of the ownership facet ({"owners": [{"name": "team:risk", "type": "..."}]})."""
    owners = _facet(facets, "ownership").get("owners")
    if not isinstance(owners, list):
        return []
    return [str(o["name"])[:200] for o in owners if isinstance(o, dict) and isinstance(o.get("name"), str)][:50]


def _size(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationFailed(f"{field}: must be a whole number of bytes, zero or more", field=field)
    return value


def _short(value: Any) -> str | None:
    return value[: v.MAX_SHORT] if isinstance(value, str) and value else None


def _text(value: Any) -> str | None:
    return value[: v.MAX_TEXT] if isinstance(value, str) and value else None
