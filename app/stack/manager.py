"""`modelgraph stack up|down|status`: install once into the cache, start on loopback, stop by PID."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings
from app.errors import ConfigurationError
from app.stack import neo4j, opa, process, seaweed
from app.stack.layout import (
    StackSecrets,
    StackState,
    load_or_create_secrets,
    ports_for,
    write_env_file,
)

SERVICES = ("neo4j", "opa", "s3")
# A fragment of each server's command line, to tell our process from one that reused its PID.
MARKERS = {"neo4j": "CommunityEntryPoint", "opa": "run --server", "s3": "weed"}


@dataclass
class ServiceStatus:
    name: str
    pid: int | None
    running: bool
    healthy: bool
    detail: str


class Stack:
    """One profile's stack: its folder, ports, secrets and recorded PIDs."""

    def __init__(self, settings: Settings, log: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.dir = settings.stack_dir
        self.state_file = self.dir / "stack.json"
        self.env_file = self.dir / "env"
        self.log = log
        self.ports = ports_for(settings.profile, settings.stack_port_offset)

    # -- public commands -------------------------------------------------------------
    def up(self) -> None:
        """Install what is missing, start what is not running, wait for real readiness."""
        java = neo4j.check_java(self.settings.java)
        state = self._state()
        self.ports = state.ports
        secrets = load_or_create_secrets(self.env_file)
        write_env_file(self.env_file, self.settings.profile, self.ports, secrets)
        libs = neo4j.ensure_installed(self.settings.cache_dir)
        opa_bin = opa.ensure_installed(self.settings.cache_dir)
        weed = seaweed.find_weed()
        for name in SERVICES:
            if state.pids.get(name) and process.is_our_server(state.pids[name], MARKERS[name]):
                self.log(f"{name}: already running (pid {state.pids[name]})")
                continue
            self._start(name, state, secrets, java=java, libs=libs, opa_bin=opa_bin, weed=weed)
            state.save(self.state_file)
        self.log(f"stack '{self.settings.profile}' ready; settings in {self.env_file}")

    def down(self) -> None:
        """Stop exactly the processes we started (SIGTERM, then SIGKILL)."""
        state = StackState.load(self.state_file)
        if state is None:
            self.log("no stack recorded; nothing to stop")
            return
        for name in reversed(SERVICES):
            self.stop_service(name, state)
        state.save(self.state_file)

    def stop_service(self, name: str, state: StackState | None = None, *, kill: bool = False) -> None:
        """Stop one service (used by `down` and by fault tests; `kill` is SIGKILL, no shutdown)."""
        state = state or self._state()
        pid = state.pids.pop(name, None)
        if pid and process.is_our_server(pid, MARKERS[name]):
            process.stop(pid, timeout=0 if kill else 20.0)
            self.log(f"{name}: {'killed' if kill else 'stopped'} (pid {pid})")
        state.save(self.state_file)

    def start_service(self, name: str) -> None:
        """Start one stopped service again and wait for it."""
        state = self._state()
        secrets = load_or_create_secrets(self.env_file)
        self._start(
            name,
            state,
            secrets,
            java=neo4j.check_java(self.settings.java),
            libs=neo4j.lib_dir(self.settings.cache_dir),
            opa_bin=opa.binary(self.settings.cache_dir),
            weed=seaweed.find_weed(),
        )
        state.save(self.state_file)

    def status(self) -> list[ServiceStatus]:
        state = StackState.load(self.state_file)
        if state is None:
            return [ServiceStatus(n, None, False, False, "not started") for n in SERVICES]
        secrets = load_or_create_secrets(self.env_file)
        return [self._status_of(name, state, secrets) for name in SERVICES]

    # -- internals ---------------------------------------------------------------------
    def _state(self) -> StackState:
        state = StackState.load(self.state_file)
        if state is None:
            state = StackState(profile=self.settings.profile, ports=self.ports)
        return state

    def _start(self, name: str, state: StackState, secrets: StackSecrets, **tools: object) -> None:
        ports = state.ports
        if name == "neo4j":
            process.require_free_ports({"neo4j bolt": ports["neo4j_bolt"]})
            home = self.dir / "neo4j"
            neo4j.write_config(home, ports["neo4j_bolt"])
            java, libs = str(tools["java"]), Path(str(tools["libs"]))
            neo4j.set_initial_password(java, libs, home, secrets.neo4j_password)
            pid = neo4j.start(java, libs, home)
            log = home / "logs" / "console.log"
            check = lambda: neo4j.is_ready(ports["neo4j_bolt"], secrets.neo4j_password)  # noqa: E731
            timeout = 120.0
        elif name == "opa":
            process.require_free_ports({"opa": ports["opa"]})
            log = self.dir / "opa" / "opa.log"
            tokens = secrets.opa_tokens(self.settings.profile)
            pid = opa.start(Path(str(tools["opa_bin"])), ports["opa"], self.settings.policies_dir, log, tokens)
            check = lambda: opa.is_ready(ports["opa"], secrets.opa_token)  # noqa: E731
            timeout = 30.0
        elif name == "s3":
            weed_ports = {k: v for k, v in ports.items() if k.startswith(("s3", "weed"))}
            process.require_free_ports(weed_ports)
            home = self.dir / "s3"
            seaweed.write_identities(home / "s3.json", secrets.s3_access_key, secrets.s3_secret_key)
            seaweed.write_security(home)
            pid = seaweed.start(str(tools["weed"]), home, ports)
            log = home / "weed.log"
            bucket = self.settings.s3_bucket
            check = lambda: seaweed.is_ready(  # noqa: E731
                ports["s3"], secrets.s3_access_key, secrets.s3_secret_key, bucket
            )
            timeout = 60.0
        else:
            raise ConfigurationError(f"unknown stack service {name!r}; one of {', '.join(SERVICES)}")
        state.pids[name] = pid
        state.save(self.state_file)
        self.log(f"{name}: starting (pid {pid}) ...")
        process.wait_until(check, what=name, timeout=timeout, pid=pid, log=log)
        self.log(f"{name}: ready")

    def _status_of(self, name: str, state: StackState, secrets: StackSecrets) -> ServiceStatus:
        pid = state.pids.get(name)
        running = bool(pid) and process.is_our_server(pid or 0, MARKERS[name])
        if not running:
            return ServiceStatus(name, pid, False, False, "stopped")
        try:
            if name == "neo4j":
                healthy = neo4j.is_ready(state.ports["neo4j_bolt"], secrets.neo4j_password)
                where = f"bolt://127.0.0.1:{state.ports['neo4j_bolt']}"
            elif name == "opa":
                healthy = opa.is_ready(state.ports["opa"], secrets.opa_token)
                where = f"http://127.0.0.1:{state.ports['opa']}"
            else:
                healthy = seaweed.is_ready(
                    state.ports["s3"],
                    secrets.s3_access_key,
                    secrets.s3_secret_key,
                    self.settings.s3_bucket,
                )
                where = f"http://127.0.0.1:{state.ports['s3']}"
        except Exception as exc:  # status reports; it does not fail
            return ServiceStatus(name, pid, True, False, f"unhealthy: {type(exc).__name__}")
        return ServiceStatus(name, pid, True, healthy, where)
