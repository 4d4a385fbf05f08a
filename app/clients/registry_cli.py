"""`modelgraph models|versions|alias|search|lineage|reviews`: the registry for people at a terminal,
through the Python SDK (modelgraph.client) over HTTP. Every command takes `--output json`.

Exit codes: 0 done; 1 denied by policy; 2 error (usage, unreachable, invalid input, bad token);
3 waits for review; 4 not found; 5 conflict.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from modelgraph.client import (
    Conflict,
    ModelGraph,
    ModelGraphError,
    NotFound,
    PermissionDenied,
    ReviewRequired,
)

EXIT_OK, EXIT_DENIED, EXIT_ERROR, EXIT_REVIEW, EXIT_NOT_FOUND, EXIT_CONFLICT = 0, 1, 2, 3, 4, 5
T = TypeVar("T")

console = Console()
err = Console(stderr=True)

models_cli = typer.Typer(no_args_is_help=True, help="Registered models.")
versions_cli = typer.Typer(no_args_is_help=True, help="Model versions.")
alias_cli = typer.Typer(no_args_is_help=True, help="Aliases (production, staging, ...).")
reviews_cli = typer.Typer(no_args_is_help=True, help="Changes waiting for an approver.")

OUTPUT = typer.Option("text", "--output", "-o", help="text or json.")
URL = typer.Option(None, "--url", help="Registry URL (default MODELGRAPH_API_URL).")
TOKEN = typer.Option(None, "--token", help="Bearer token (default MODELGRAPH_TOKEN).")


def exit_code(exc: ModelGraphError) -> int:
    if isinstance(exc, ReviewRequired):
        return EXIT_REVIEW
    if isinstance(exc, PermissionDenied):
        return EXIT_DENIED
    if isinstance(exc, NotFound):
        return EXIT_NOT_FOUND
    if isinstance(exc, Conflict):
        return EXIT_CONFLICT
    return EXIT_ERROR


@contextmanager
def client(url: str | None, token: str | None) -> Iterator[ModelGraph]:
    """The SDK client for a command; a registry error becomes one line on stderr and its exit code."""
    from app.cli import settings

    cfg = settings()
    try:
        with ModelGraph(url or cfg.api_url, token or cfg.token.get_secret_value()) as mg:
            yield mg
    except ReviewRequired as exc:
        err.print(f"review required: {escape(exc.message)} (review {exc.review_id})", highlight=False)
        raise typer.Exit(EXIT_REVIEW) from None
    except ModelGraphError as exc:
        err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(exit_code(exc)) from None


def plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=False)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def emit(output: str, value: Any, text: Callable[[], None]) -> None:
    if output == "json":
        sys.stdout.write(json.dumps(plain(value), indent=2, default=str) + "\n")
    else:
        text()


def table(*columns: str, rows: list[list[Any]]) -> None:
    t = Table(*columns)
    for row in rows:
        t.add_row(*("-" if c is None else str(c) for c in row))
    console.print(t)


@models_cli.command("list")
def models_list(output: str = OUTPUT, url: str = URL, token: str = TOKEN) -> None:
    """Every model with its aliases."""
    with client(url, token) as mg:
        found = list(mg.iter_models())
    rows = [[m.name, m.task, m.licence, ", ".join(f"{a.alias}→v{a.version}" for a in m.aliases)] for m in found]
    emit(output, found, lambda: table("model", "task", "licence", "aliases", rows=rows))


@models_cli.command("show")
def models_show(name: str, output: str = OUTPUT, url: str = URL, token: str = TOKEN) -> None:
    """A model, its aliases and its versions."""
    with client(url, token) as mg:
        model = mg.model(name)
        versions = list(mg.iter_versions(name))
    value = {**plain(model), "versions": plain(versions)}

    def text() -> None:
        console.print(f"[bold]{escape(model.name)}[/]  {escape(model.description or '')}", highlight=False)
        console.print(f"owners: {', '.join(model.owners)}  licence: {model.licence}  task: {model.task}")
        rows = [
            [v.version, v.status.value, ", ".join(v.aliases), v.artifact.digest[:19], v.created_at] for v in versions
        ]
        table("version", "status", "aliases", "digest", "created", rows=rows)

    emit(output, value, text)


@versions_cli.command("show")
def versions_show(
    model: str,
    version: int = typer.Option(None, help="Version number."),
    alias: str = typer.Option(None, help="Or the version an alias points to."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """One version (by number or alias): artifact, run, aliases."""
    with client(url, token) as mg:
        found = mg.version(model, version=version, alias=alias if version is None else None)

    def text() -> None:
        console.print(f"[bold]{escape(model)} v{found.version}[/] ({found.status.value})", highlight=False)
        console.print(f"artifact: {found.artifact.uri} {found.artifact.digest} ({found.artifact.size} bytes)")
        console.print(f"run: {found.run.id if found.run else '-'}  aliases: {', '.join(found.aliases) or '-'}")

    emit(output, found, text)


@versions_cli.command("register")
def versions_register(
    model: str,
    file: str = typer.Option(..., "--file", "-f", help="Artifact file (streamed; digest computed locally)."),
    run: str = typer.Option(..., "--run", help="Id of the finished run that produced it."),
    notes: str = typer.Option(None, help="Notes."),
    licence: str = typer.Option(None, help="Licence, when the model must be created."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Upload an artifact and register it as the model's next version (creating the model if needed)."""
    from rich.progress import Progress

    with client(url, token) as mg, Progress(console=err, transient=True) as progress:
        task = progress.add_task("uploading", total=None)
        created = {"licence": licence} if licence else None
        made = mg.register_version(model, run, file, create_model=created, notes=notes)
        progress.update(task, completed=1, total=1)
    emit(output, made, lambda: console.print(f"registered {model} v{made.version} ({made.artifact.digest})"))


@alias_cli.command("set")
def alias_set(
    model: str,
    alias: str,
    version: int,
    reason: str = typer.Option(None, help="Why (audited)."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Point an alias at a version; exit 3 when the move waits for review."""
    with client(url, token) as mg:
        changed = mg.set_alias(model, alias, version, reason=reason)
    emit(output, changed, lambda: console.print(f"{model}@{alias} → v{version}"))


@alias_cli.command("history")
def alias_history(
    model: str,
    alias: str = typer.Option(None, help="Only this alias."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Every move of a model's aliases, oldest first."""
    with client(url, token) as mg:
        moves = mg.alias_history(model, alias)
    rows = [[m.alias, m.version, m.since, m.until, m.actor] for m in moves]
    emit(output, moves, lambda: table("alias", "version", "since", "until", "by", rows=rows))


def search_command(
    text: str = typer.Argument(None, help="Free text."),
    limit: int = typer.Option(50, help="At most this many hits."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Search model versions by text (names, descriptions, notes, tags)."""
    with client(url, token) as mg:
        hits = []
        for hit in mg.search(text, page=min(limit, 100)):
            hits.append(hit)
            if len(hits) >= limit:
                break
    rows = [[h.model_name, h.version, ", ".join(h.aliases), h.domain, h.task, f"{h.score:.2f}"] for h in hits]
    emit(output, hits, lambda: table("model", "version", "aliases", "domain", "task", "score", rows=rows))


def lineage_command(
    start: str = typer.Argument(..., help="A node id (model version, run, dataset version, ...)."),
    direction: str = typer.Option("UPSTREAM", help="UPSTREAM, DOWNSTREAM or BOTH."),
    hops: int = typer.Option(3, help="How far to go (1-10)."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """The provenance around a node, drawn as a tree."""
    with client(url, token) as mg:
        graph = mg.lineage(start, direction=direction.upper(), max_hops=hops)
    emit(output, graph, lambda: console.print(lineage_tree(graph, start)))


def lineage_tree(graph: Any, start: str) -> Tree:
    """Edges point from the later thing to what it came from; the tree follows them from `start`
    (and, downstream, against them); a node met twice is shown once and then referred to."""
    label = {n.id: f"[bold]{escape(n.kind.value)}[/] {escape(n.label)}" for n in graph.nodes}
    out: dict[str, list[tuple[str, str]]] = {}
    back: dict[str, list[tuple[str, str]]] = {}
    for e in graph.edges:
        out.setdefault(e.source, []).append((e.type_.value, e.target))
        back.setdefault(e.target, []).append((e.type_.value, e.source))
    root = Tree(label.get(start, start))
    seen = {start}

    def grow(branch: Tree, node: str) -> None:
        for kind, other in [*out.get(node, []), *((f"←{k}", o) for k, o in back.get(node, []))]:
            if other in seen:
                continue
            seen.add(other)
            grow(branch.add(f"{kind} {label.get(other, other)}"), other)

    grow(root, start)
    if graph.truncated:
        root.add("[yellow](truncated: raise --hops or narrow the start)[/]")
    return root


@reviews_cli.command("list")
def reviews_list(
    status: str = typer.Option("PENDING", help="PENDING, APPROVED or REJECTED."),
    mine: bool = typer.Option(False, "--mine", help="Only those I may approve."),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Reviews, newest first."""
    with client(url, token) as mg:
        found = list(mg.iter_reviews(status=status.upper(), waiting_for_me=mine))
    rows = [[r.id, r.command, r.requested_by, r.status.value, "; ".join(r.reasons)] for r in found]
    emit(output, found, lambda: table("review", "change", "requested by", "status", "reasons", rows=rows))


@reviews_cli.command("approve")
def reviews_approve(
    review_id: str, comment: str = typer.Option(None), output: str = OUTPUT, url: str = URL, token: str = TOKEN
) -> None:
    """Approve a review: the change is applied as requested."""
    with client(url, token) as mg:
        decided = mg.approve_review(review_id, comment)
    emit(output, decided, lambda: console.print(f"review {review_id}: {decided.status.value}"))


@reviews_cli.command("reject")
def reviews_reject(
    review_id: str, comment: str = typer.Option(None), output: str = OUTPUT, url: str = URL, token: str = TOKEN
) -> None:
    """Reject a review: nothing is changed."""
    with client(url, token) as mg:
        decided = mg.reject_review(review_id, comment)
    emit(output, decided, lambda: console.print(f"review {review_id}: {decided.status.value}"))


import_cli = typer.Typer(no_args_is_help=True, help="Bring another registry's contents in.")


@import_cli.command("mlflow")
def import_mlflow(
    tracking_uri: str = typer.Option(..., "--tracking-uri", help="MLflow tracking store (sqlite:///…, http://…)."),
    registry_uri: str = typer.Option(None, "--registry-uri", help="MLflow model registry (default: tracking URI)."),
    experiments: list[str] = typer.Option(None, "--experiments", help="Only these experiments (repeatable)."),
    models: list[str] = typer.Option(None, "--models", help="Only these registered models (repeatable)."),
    project: str = typer.Option("mlflow", help="Registry project that receives the experiments."),
    licence: str = typer.Option(None, help="Licence for models without a licence tag."),
    rights: list[str] = typer.Option(
        None, "--dataset-rights", help="Declare for imported datasets: training, commercial, no-personal-data."
    ),
    output: str = OUTPUT,
    url: str = URL,
    token: str = TOKEN,
) -> None:
    """Copy experiments, runs (params, metric histories, tags, dataset inputs), registered models,
    versions (with their artifact bytes), aliases and tags; a second run writes nothing new."""
    from rich.progress import Progress

    from app.clients.mlflow_import import run_import, summary_text

    with client(url, token) as mg, Progress(console=err, transient=True, disable=output == "json") as bar:

        def track(label: str, total: int) -> Callable[[], None]:
            task = bar.add_task(label, total=total)
            return lambda: bar.advance(task)

        summary = run_import(
            mg,
            tracking_uri,
            registry_uri=registry_uri,
            experiments=experiments or None,
            models=models or None,
            project=project,
            licence=licence,
            rights=rights or (),
            progress=track,
        )
    emit(output, summary.as_dict(), lambda: console.print(summary_text(summary), highlight=False))


def register(cli: typer.Typer) -> None:
    cli.add_typer(import_cli, name="import")
    cli.add_typer(models_cli, name="models")
    cli.add_typer(versions_cli, name="versions")
    cli.add_typer(alias_cli, name="alias")
    cli.add_typer(reviews_cli, name="reviews")
    cli.command("search")(search_command)
    cli.command("lineage")(lineage_command)
