"""Models, versions and their artifacts for `ModelGraph`: registration with a streamed upload, look-ups,
aliases, metadata edits, evaluations and verified downloads (`models:/name@alias`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from modelgraph.client import api_sync as api
from modelgraph.client.errors import Conflict, IntegrityError, NotFound
from modelgraph.client.files import Body, VerifiedWriter, body_of
from modelgraph.client.runs import ActiveRun
from modelgraph.client.transport import RetryPolicy, rest_error, send


class Versions:
    """Models, versions, aliases, artifacts (mixed into `ModelGraph`, which owns these fields)."""

    graph: api.Graph
    http: httpx.Client
    retry: RetryPolicy

    # ---- models, versions, artifacts -----------------------------------------------------------
    def model(self, name: str) -> Any:
        found = self.graph.get_model(name=name).model
        if found is None:
            raise NotFound(f"model: no model named {name!r}", field="model")
        return found

    def create_model(self, name: str, **fields: Any) -> Any:
        made = self.graph.create_model(api.CreateModelInput(name=name, **fields))
        assert isinstance(made.create_model, api.CreateModelCreateModelModelSuccess)
        return made.create_model.model

    def upload(self, model: str, source: str | os.PathLike[str] | bytes) -> tuple[str, Body]:
        """Store artifact bytes (streamed from a file, digest computed locally first); returns the URI."""
        body = body_of(source)
        headers = {"X-Content-Digest": body.digest, "Content-Length": str(body.size)}
        response = send(
            lambda: self.http.post(
                "/api/v1/artifacts", params={"model": model}, content=body.chunks(), headers=headers
            ),
            self.retry,
            resend=True,  # content-addressed: storing the same bytes twice is harmless
        )
        if response.status_code != 201:
            raise rest_error(response)
        answer = response.json()
        if answer.get("digest") != body.digest:
            raise IntegrityError(f"the registry stored digest {answer.get('digest')}, expected {body.digest}")
        return str(answer["uri"]), body

    def register_version(
        self,
        model: str,
        run: str | ActiveRun,
        source: str | os.PathLike[str] | bytes,
        *,
        artifact_format: str | None = None,
        create_model: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """Upload the artifact and register it as the next version of `model` from a finished `run`.
        The model is created first when missing (with `create_model` fields, e.g. licence)."""
        if self.graph.get_model(name=model).model is None:
            with contextlib.suppress(Conflict):
                self.create_model(model, **dict(create_model or {}))
        uri, body = self.upload(model, source)
        run_id = run.id if isinstance(run, ActiveRun) else run
        artifact = api.ArtifactInput(uri=uri, digest=body.digest, size=body.size, format=artifact_format)
        made = self.graph.register_model_version(
            api.RegisterModelVersionInput(model=model, run_id=run_id, artifact=artifact, **fields)
        )
        assert isinstance(made.register_model_version, api.RegisterModelVersionRegisterModelVersionModelVersionSuccess)
        return made.register_model_version.model_version

    def version(self, model: str, version: int | None = None, alias: str | None = None) -> Any:
        found = self.graph.get_model_version(model=model, version=version, alias=alias).model_version
        if found is None:
            which = f"alias {alias!r}" if alias else f"version {version}"
            raise NotFound(f"model {model!r} has no {which}", field="alias" if alias else "version")
        return found

    def iter_models(self, page: int = 100) -> Iterator[Any]:
        after: str | None = None
        while True:
            got = self.graph.list_models(first=page, after=after).models
            yield from (e.node for e in got.edges)
            if not got.page_info.has_next_page:
                return
            after = got.page_info.end_cursor

    def iter_versions(self, model: str, page: int = 100) -> Iterator[Any]:
        after: str | None = None
        while True:
            found = self.graph.list_model_versions(model=model, first=page, after=after).model
            if found is None:
                raise NotFound(f"model: no model named {model!r}", field="model")
            yield from (e.node for e in found.versions.edges)
            if not found.versions.page_info.has_next_page:
                return
            after = found.versions.page_info.end_cursor

    def set_alias(self, model: str, alias: str, version: int, reason: str | None = None) -> Any:
        """Point `alias` at `version`; a protected alias may raise ReviewRequired (see approve_review)."""
        done = self.graph.set_alias(api.SetAliasInput(model=model, alias=alias, version=version, reason=reason))
        assert isinstance(done.set_alias, api.SetAliasSetAliasAliasSuccess)
        return done.set_alias.model

    def remove_alias(self, model: str, alias: str, purpose: str | None = None) -> Any:
        """Remove `alias` (decided like a move: a protected alias may raise ReviewRequired)."""
        done = self.graph.remove_alias(api.RemoveAliasInput(model=model, alias=alias, purpose=purpose))
        assert isinstance(done.remove_alias, api.RemoveAliasRemoveAliasAliasSuccess)
        return done.remove_alias.model

    def update_metadata(
        self,
        node_id: str,
        expected_revision: int,
        changes: Mapping[str, Any] | None = None,
        custom: Mapping[str, Any] | None = None,
        purpose: str | None = None,
    ) -> str:
        """Change mutable fields ({description: ...}) and custom properties of a model, version, project,
        experiment or run at the revision you read; raises Conflict when it moved on since."""
        done = self.graph.update_metadata(
            api.UpdateMetadataInput(
                id=node_id,
                expected_revision=expected_revision,
                changes=dict(changes or {}),
                custom=dict(custom) if custom else None,
                purpose=purpose,
            )
        )
        assert isinstance(done.update_metadata, api.UpdateMetadataUpdateMetadataUpdateSuccess)
        return done.update_metadata.node.id

    def alias_history(self, model: str, alias: str | None = None) -> list[Any]:
        found = self.graph.alias_history(model=model, alias=alias).model
        if found is None:
            raise NotFound(f"model: no model named {model!r}", field="model")
        return list(found.alias_history)

    def record_evaluation(self, model: str, version: int, metrics: Mapping[str, float], **fields: Any) -> str:
        done = self.graph.record_evaluation(
            api.RecordEvaluationInput(model=model, version=version, metrics=dict(metrics), **fields)
        )
        assert isinstance(done.record_evaluation, api.RecordEvaluationRecordEvaluationHistoryWriteSuccess)
        return done.record_evaluation.id

    def download(
        self,
        model: str,
        alias: str | None = "production",
        dest: str | os.PathLike[str] = ".",
        *,
        version: int | None = None,
    ) -> Path:
        """The artifact of `model@alias` (or a version) written to `dest` (a file, or a directory where it
        is named after the model and version), verified against its digest: models:/name@alias."""
        found = self.version(model, version=version, alias=None if version is not None else alias)
        digest = found.artifact.digest
        target = Path(dest)
        if target.is_dir():
            target = target / f"{model}-v{found.version}"
        response = send(
            lambda: self.http.send(self.http.build_request("GET", f"/api/v1/artifacts/{digest}"), stream=True),
            self.retry,
            resend=True,
        )
        try:
            if response.status_code != 200:
                response.read()
                raise rest_error(response)
            writer = VerifiedWriter(target, digest)
            try:
                for chunk in response.iter_bytes():
                    writer.write(chunk)
            except BaseException:
                writer.abort()
                raise
            return writer.commit()
        finally:
            response.close()
