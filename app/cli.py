"""The `modelgraph` command: stack, serve, migrate, demo, schema and policy checks, and the registry
for people (models, versions, alias, search, lineage, reviews, import: app/clients/registry_cli.py).

Errors the user can fix print one line on stderr and exit 2; nothing prints a traceback.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.config import Settings, load_settings
from app.errors import RegistryError

T = TypeVar("T")

cli = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="modelgraph: ML model registry on a provenance graph.",
)
stack_cli = typer.Typer(no_args_is_help=True, help="Run Neo4j, OPA and the S3 store locally (no Docker).")
cli.add_typer(stack_cli, name="stack")
policy_cli = typer.Typer(no_args_is_help=True, help="Ask the running registry's policies (CI gates).")
cli.add_typer(policy_cli, name="policy")
audit_cli = typer.Typer(no_args_is_help=True, help="Tamper-evident audit trail.")
cli.add_typer(audit_cli, name="audit")
console = Console()
err = Console(stderr=True)

STATE: dict[str, str | None] = {"profile": None}


def settings() -> Settings:
    return load_settings(STATE["profile"])


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body; a RegistryError becomes one line and exit code 2."""
    try:
        return fn()
    except RegistryError as exc:
        err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return guarded(lambda: asyncio.run(factory()))


@cli.callback()
def root(
    profile: str = typer.Option(None, "--profile", "-p", help="Stack profile: dev (default) or test."),
) -> None:
    STATE["profile"] = profile


@stack_cli.command("up")
def stack_up() -> None:
    """Install (once, into the cache) and start Neo4j, OPA and the S3 store; wait until ready."""
    from app.stack.manager import Stack

    guarded(lambda: Stack(settings()).up())


@stack_cli.command("down")
def stack_down() -> None:
    """Stop the processes `up` started."""
    from app.stack.manager import Stack

    guarded(lambda: Stack(settings()).down())


@stack_cli.command("status")
def stack_status() -> None:
    """Each service, its PID and whether it answers a real request."""
    from app.stack.manager import Stack

    rows = guarded(lambda: Stack(settings()).status())
    table = Table("service", "pid", "running", "healthy", "detail")
    for row in rows:
        table.add_row(row.name, str(row.pid or "-"), str(row.running), str(row.healthy), row.detail)
    console.print(table)
    if not all(r.healthy for r in rows):
        raise typer.Exit(1)


@stack_cli.command("stop-service")
def stack_stop_service(name: str) -> None:
    """Stop one service of the stack (fault drills)."""
    from app.stack.manager import Stack

    guarded(lambda: Stack(settings()).stop_service(name))


@stack_cli.command("start-service")
def stack_start_service(name: str) -> None:
    """Start one stopped service of the stack again."""
    from app.stack.manager import Stack

    guarded(lambda: Stack(settings()).start_service(name))


@cli.command()
def migrate() -> None:
    """Apply pending graph_schema migrations in order (a no-op when all ran)."""
    from app.graph.driver import open_driver
    from app.graph.migrations import DriverRunner
    from app.graph.migrations import migrate as run_migrations

    async def go() -> None:
        cfg = settings()
        cfg.require_service_credentials()
        driver = open_driver(cfg)
        try:
            done = await run_migrations(DriverRunner(driver, cfg.neo4j_database), cfg.graph_schema_dir)
        finally:
            await driver.close()
        console.print(f"applied {len(done)} migration(s)" + "".join(f"\n  {m.path.name}" for m in done))

    run_async(go)


@cli.command()
def serve(
    host: str = typer.Option(None, help="Bind address (default from settings: 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from settings: 8000)."),
) -> None:
    """Serve the API, GraphiQL, /healthz, /readyz and /metrics with uvicorn."""
    import uvicorn

    from app.logs import configure_logging
    from app.main import create_app
    from app.stack.process import port_is_free
    from app.web.server import uvicorn_config

    def go() -> None:
        cfg = settings()
        cfg.require_service_credentials()
        bind_host, bind_port = host or cfg.host, port or cfg.port
        if not port_is_free(bind_port, "127.0.0.1" if bind_host == "0.0.0.0" else bind_host):  # noqa: S104
            raise RegistryError(f"port {bind_port} is in use: stop the other process or pass --port")
        console.print(f"modelgraph serving on http://{bind_host}:{bind_port}/graphql")
        configure_logging(cfg.log_level)
        level = cfg.log_level.lower()
        server = uvicorn_config(create_app(cfg), cfg, bind_host, bind_port, log_level=level, log_config=None)
        uvicorn.Server(server).run()

    guarded(go)


@cli.command()
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="Load only when the registry has no models.")) -> None:
    """Load the demo registry (principals, data, runs, model versions, aliases)."""
    from app import demo as demo_data
    from app.services import Services

    async def go() -> None:
        cfg = settings()
        services = await Services.open(cfg)
        try:
            if if_empty and not await demo_data.is_empty(services):
                console.print("demo data already present")
                return
            keys = await demo_data.load(services, cfg.stack_dir / "demo-keys")
        finally:
            await services.close()
        console.print(
            f"demo loaded; API keys for vera (viewer), pat (publisher), ann (approver) in "
            f"{cfg.stack_dir / 'demo-keys'}; admin key: MODELGRAPH_BOOTSTRAP_ADMIN_KEY in "
            f"{cfg.stack_dir / 'env'}"
        )
        del keys

    run_async(go)


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute every audit stream's hash chain and check the keyed checkpoints; exit 1 and name
    the first broken link if any."""
    from app.graph.audit_verify import verify
    from app.graph.driver import open_driver

    async def go() -> None:
        cfg = settings()
        cfg.require_service_credentials()
        driver = open_driver(cfg)
        try:
            async with driver.session(database=cfg.neo4j_database) as session:
                result = await verify(session, cfg.audit_key_bytes())
        finally:
            await driver.close()
        if result.ok:
            console.print(
                f"audit chain intact: {result.checked} events verified, {result.checkpoints} checkpoints valid"
            )
            return
        where = f" in stream {result.stream}" if result.stream else ""
        at = f" at event {result.broken_seq}" if result.broken_seq is not None else ""
        err.print(f"audit chain BROKEN{where}{at}: {result.problem} ({result.checked} events before it verified)")
        raise typer.Exit(1)

    run_async(go)


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Record a keyed checkpoint of every audit stream changed since the last one."""
    from app.graph.checkpoints import checkpoint
    from app.graph.driver import open_driver

    async def go() -> None:
        cfg = settings()
        cfg.require_service_credentials()
        key = cfg.audit_key_bytes()
        if key is None:
            err.print("MODELGRAPH_AUDIT_KEY is not set: run `modelgraph stack up` or set it in the environment")
            raise typer.Exit(2)
        driver = open_driver(cfg)
        try:
            made = await checkpoint(driver, cfg.neo4j_database, key)
        finally:
            await driver.close()
        if made is None:
            console.print("no audit stream changed since the last checkpoint")
        else:
            console.print(f"checkpoint {made.number}: {made.streams} streams, root {made.root}")

    run_async(go)


@cli.command("backup")
def backup_command(dest: Path = typer.Argument(..., help="A new or empty directory.")) -> None:
    """Back up the graph (one consistent read), the artifact objects (still encrypted) and a manifest."""
    from app.backup import backup
    from app.services import Services

    async def go() -> None:
        services = await Services.open(settings())
        try:
            manifest = await backup(services, dest)
        finally:
            await services.close()
        counts = ", ".join(f"{n} {what}" for what, n in manifest.counts.items())
        console.print(f"backup written to {dest}: {counts} (migration V{manifest.migration_level:04d})")

    run_async(go)


@cli.command("validate")
def validate_command(
    output: str = typer.Option("text", help="text or json."),
    fail_on_findings: bool = typer.Option(False, help="Exit 1 when findings are open after the pass."),
) -> None:
    """Check every version and dataset version once now (artifacts exist and match their digest,
    allowed dataset sources answer, policy's required metadata is present); open or resolve findings."""
    import json

    from app.services import Services
    from app.validation import Validator

    async def go() -> int:
        services = await Services.open(settings())
        try:
            validator = Validator(services)
            report = await validator.full_pass()
            still_open = await validator.repo.open_counts()
        finally:
            await services.close()
        summary = {**report.summary(), "open": still_open}
        if output == "json":
            print(json.dumps(summary, default=str))
        else:
            console.print(
                f"validated {report.versions} versions and {report.datasets} dataset versions "
                f"({report.bytes_verified} artifact bytes verified): {len(report.opened)} findings opened, "
                f"{len(report.resolved)} resolved; open now: {still_open or 'none'}",
                highlight=False,
            )
            for f in report.opened:
                console.print(f"  opened {f.check} on {f.subject_id}: {f.detail}", highlight=False)
            for skipped in report.skipped:
                console.print(f"  not checked: {skipped}", highlight=False)
        return 1 if fail_on_findings and still_open else 0

    code = run_async(go)
    if code:
        raise typer.Exit(code)


@cli.command("escalate-reviews")
def escalate_reviews_command() -> None:
    """Escalate pending reviews that waited longer than policy allows; expire those past their expiry."""
    from app.registry.escalation import escalate_reviews
    from app.services import Services

    async def go() -> None:
        services = await Services.open(settings())
        try:
            report = await escalate_reviews(services)
        finally:
            await services.close()
        for step in report.escalated:
            console.print(f"escalated {step['review']} to {', '.join(step['to'])}", highlight=False)
        for step in report.expired:
            console.print(f"expired {step['review']}; should have acted: {', '.join(step['should_have_acted'])}")
        console.print(f"{len(report.escalated)} escalated, {len(report.expired)} expired", highlight=False)

    run_async(go)


@cli.command("sweep-artifacts")
def sweep_artifacts_command(
    grace_minutes: int = typer.Option(60, min=1, help="Keep unreferenced chunks younger than this."),
) -> None:
    """Remove chunk objects no artifact manifest points to (left by an interrupted or raced upload)."""
    from datetime import timedelta

    from app.artifacts.sweep import sweep_orphan_chunks
    from app.services import Services

    async def go() -> None:
        services = await Services.open(settings())
        try:
            done = await sweep_orphan_chunks(services.artifacts, timedelta(minutes=grace_minutes))
        finally:
            await services.close()
        console.print(
            f"{len(done.removed)} orphan chunk objects removed, {done.kept_young} younger than "
            f"{grace_minutes} min kept, {done.referenced} in use",
            highlight=False,
        )

    run_async(go)


@cli.command("restore")
def restore_command(src: Path = typer.Argument(..., help="A directory written by `modelgraph backup`.")) -> None:
    """Restore a backup into an empty registry migrated to the backup's level (same artifact key)."""
    from app.backup import restore
    from app.services import Services

    async def go() -> None:
        services = await Services.open(settings())
        try:
            manifest = await restore(services, src)
        finally:
            await services.close()
        counts = ", ".join(f"{n} {what}" for what, n in manifest.counts.items())
        console.print(f"restored from {src}: {counts}")

    run_async(go)


@policy_cli.command("check")
def policy_check(
    action: str = typer.Option(..., help="promote, retire or publish."),
    model: str = typer.Option(..., help="Model name."),
    version: int = typer.Option(None, help="Version number (promote, retire)."),
    alias: str = typer.Option(None, help="Alias to promote to (promote)."),
    licence: str = typer.Option(None, help="Licence of a new model (publish)."),
    run: str = typer.Option(None, "--run", help="Run id of a new version (publish)."),
    output: str = typer.Option("text", help="text or json."),
    url: str = typer.Option(None, help="Registry URL (default MODELGRAPH_API_URL)."),
    token: str = typer.Option(None, help="Bearer token (default MODELGRAPH_TOKEN)."),
) -> None:
    """Print the decision and reasons; exit 0 allowed, 1 denied, 3 allowed only after review; 2 an error
    (unreachable, not a registry, bad token or input), 4 the model or version does not exist."""
    import json

    from app.clients.policy_check import EXIT_NOT_FOUND, CheckRequest, CheckResult, check
    from app.errors import NotFound

    cfg = settings()
    req = CheckRequest(action=action, model=model, version=version, alias=alias, licence=licence, run_id=run)

    def ask() -> CheckResult:
        try:
            return check(url or cfg.api_url, token or cfg.token.get_secret_value(), req)
        except NotFound as exc:
            err.print(f"[bold red]{escape(exc.message)}[/]", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_NOT_FOUND) from None

    result = guarded(ask)
    if output == "json":
        print(
            json.dumps(
                {
                    "decision": result.verdict,
                    "allow": result.allow,
                    "requires_review": result.requires_review,
                    "reasons": result.reasons,
                }
            )
        )
    else:
        console.print(f"{action} {model}: {result.verdict}", highlight=False)
        for reason in result.reasons:
            console.print(f"  - {reason}", highlight=False)
    raise typer.Exit(result.exit_code)


@cli.command("export-schema")
def export_schema(
    check: bool = typer.Option(
        False, help="Fail when the committed SDL differs, or breaks what the last release offered."
    ),
    release: bool = typer.Option(False, help="Also record the SDL as the released contract."),
) -> None:
    """Write the GraphQL SDL to app/graphql/schema.graphql (or check it is current and additive)."""
    from app.graphql.schema import RELEASED_SDL_PATH, SDL_PATH, breaking_changes, export_sdl

    sdl = export_sdl(Settings())
    if check:
        current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
        if current != sdl:
            err.print("schema.graphql is stale: run `modelgraph export-schema`")
            raise typer.Exit(1)
        released = RELEASED_SDL_PATH.read_text(encoding="utf-8") if RELEASED_SDL_PATH.exists() else ""
        broken = breaking_changes(released, sdl) if released else []
        for change in broken:
            err.print(f"breaks the released schema: {change}", highlight=False)
        if broken:
            err.print("the SDL changes only additively after a release (add a field, deprecate the old one)")
            raise typer.Exit(1)
        return
    SDL_PATH.write_text(sdl, encoding="utf-8")
    console.print(f"wrote {SDL_PATH}")
    if release:
        RELEASED_SDL_PATH.write_text(sdl, encoding="utf-8")
        console.print(f"wrote {RELEASED_SDL_PATH}")


from app.clients.registry_cli import register as register_registry_commands  # noqa: E402

register_registry_commands(cli)


def main() -> None:
    try:
        cli()
    except RegistryError as exc:  # pragma: no cover - guarded() handles command bodies
        err.print(f"error: {escape(exc.message)}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
