"""OPA 1.x built with `go install` into the cache, run as a server over policies/."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from app.errors import ConfigurationError, DependencyUnavailable
from app.stack import process
from app.stack.layout import OPA_VERSION

MODULE = "github.com/open-policy-agent/opa"


def binary(cache_dir: Path) -> Path:
    return cache_dir / "opa" / OPA_VERSION / "opa"


def ensure_installed(cache_dir: Path) -> Path:
    """Build OPA once; reuse the binary afterwards."""
    exe = binary(cache_dir)
    if exe.is_file():
        return exe
    go = shutil.which("go")
    if go is None:
        raise ConfigurationError("Go is needed once to build OPA: install Go 1.23+ (https://go.dev/dl)")
    exe.parent.mkdir(parents=True, exist_ok=True)
    env = _go_env(exe.parent, cache_dir)
    result = subprocess.run(
        [go, "install", f"{MODULE}@{OPA_VERSION}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0 or not exe.is_file():
        _build_in_scratch_module(go, exe, env)
    return exe


def _go_env(gobin: Path, cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GOPATH", str(cache_dir / "go"))
    env["GOBIN"] = str(gobin)
    env["CGO_ENABLED"] = "0"
    return env


def _build_in_scratch_module(go: str, exe: Path, env: dict[str, str]) -> None:
    """Fallback when `go install pkg@version` is refused: require the version in a module."""
    with tempfile.TemporaryDirectory() as tmp:
        steps = (
            [go, "mod", "init", "modelgraph.local/opabuild"],
            [go, "get", f"{MODULE}@{OPA_VERSION}"],
            [go, "build", "-o", str(exe), MODULE],
        )
        for step in steps:
            result = subprocess.run(step, cwd=tmp, capture_output=True, text=True, env=env, check=False)
            if result.returncode != 0:
                raise DependencyUnavailable(f"building OPA failed at `{' '.join(step[1:3])}`: {result.stderr[-400:]}")


def start(exe: Path, port: int, policies: Path, log: Path, tokens: dict[str, str]) -> int:
    """Serve policies/ on loopback. Every HTTP call needs a bearer token that `system.authz`
    (policies/system/authz) accepts; the tokens reach that policy through OPA's environment only."""
    if not policies.is_dir():
        raise ConfigurationError(f"policies folder {policies} not found: run from the repository root")
    argv = [
        str(exe),
        "run",
        "--server",
        "--addr",
        f"127.0.0.1:{port}",
        "--authentication=token",
        "--authorization=basic",
        "--skip-version-check",
        "--log-level",
        "error",
        "--watch",
        str(policies.resolve()),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELGRAPH_")}
    return process.spawn(argv, log=log, cwd=log.parent, env={**env, **tokens})


def is_ready(port: int, token: str) -> bool:
    """OPA's /health answers 200 once bundles/policies are loaded (and our token is accepted)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/health", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=2) as resp:  # noqa: S310 - a fixed loopback http URL
        return bool(resp.status == 200)
