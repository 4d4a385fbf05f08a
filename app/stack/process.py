"""Start, watch and stop the stack's server processes by the PIDs we recorded."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.errors import ConfigurationError, DependencyUnavailable


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port (so we may bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) != 0


def require_free_ports(ports: dict[str, int]) -> None:
    """Refuse to start when a port we need is taken by somebody else."""
    for name, port in ports.items():
        if not port_is_free(port):
            raise ConfigurationError(
                f"port {port} ({name}) is already in use by another process: stop it, "
                "or choose another port offset with MODELGRAPH_STACK_PORT_OFFSET"
            )


def is_our_server(pid: int, marker: str) -> bool:
    """The recorded PID is alive and still runs our server (PIDs get reused after a reboot)."""
    if not pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return marker in cmdline


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def spawn(argv: Sequence[str], *, log: Path, cwd: Path, env: dict[str, str] | None = None) -> int:
    """Start a detached server (own session) writing to `log`; return its PID.

    posix_spawn instead of Popen: the servers outlive this process, and a Popen object would
    warn at exit that its child is still running.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, fd, 1),
            (os.POSIX_SPAWN_DUP2, fd, 2),
        ]
        # posix_spawn takes no working directory; coreutils `env --chdir` sets it and then execs the
        # server, so the PID we record is the server's own.
        command = ["env", f"--chdir={cwd}", *argv]
        return os.posix_spawnp(
            "env", command, env if env is not None else dict(os.environ), file_actions=actions, setsid=True
        )
    finally:
        os.close(fd)


def stop(pid: int, *, timeout: float = 20.0) -> None:
    """SIGTERM, wait up to `timeout`, then SIGKILL (at once when `timeout` is 0)."""
    if not pid_alive(pid):
        return
    if timeout > 0:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not pid_alive(pid):
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        _reap(pid)
        if not pid_alive(pid):
            return
        time.sleep(0.1)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_until(check: Callable[[], bool], *, what: str, timeout: float, pid: int, log: Path) -> None:
    """Poll `check` until it is true; fail early if the process died, naming its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            raise DependencyUnavailable(f"{what} exited during start-up; see {log}")
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not ready yet; the next poll decides
            pass
        time.sleep(0.5)
    raise DependencyUnavailable(f"{what} did not become ready within {timeout:.0f}s; see {log}")
