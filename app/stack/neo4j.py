"""Neo4j 5.26 Community from Maven Central jars, run with Java 17 as CommunityEntryPoint."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from app.errors import ConfigurationError, DependencyUnavailable
from app.stack import process
from app.stack.layout import NEO4J_VERSION

POM = Path(__file__).with_name("neo4j-pom.xml")
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"


def lib_dir(cache_dir: Path) -> Path:
    return cache_dir / "neo4j" / NEO4J_VERSION / "lib"


def check_java(java: str) -> str:
    """Return the java executable, or explain in one line what to install."""
    exe = shutil.which(java)
    if exe is None:
        raise ConfigurationError(
            f"Java not found ({java!r}): install a JDK 17 or 21 (e.g. `apt-get install "
            "openjdk-17-jre-headless`) or point MODELGRAPH_JAVA at its java binary"
        )
    out = subprocess.run([exe, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    if not match or int(match.group(1)) < 17:
        raise ConfigurationError(f"Neo4j 5.26 needs Java 17 or 21; {exe} reports: {out.strip()[:80]}")
    return exe


def ensure_installed(cache_dir: Path) -> Path:
    """Resolve the server jars once into the cache; later calls reuse them."""
    target = lib_dir(cache_dir)
    marker = target / ".complete"
    if marker.is_file():
        return target
    if shutil.which("mvn") is None:
        raise ConfigurationError("Maven (`mvn`) is needed once to fetch Neo4j's jars: apt-get install maven")
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={target}",
            "-DincludeScope=runtime",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DependencyUnavailable(f"fetching Neo4j jars failed: {result.stdout[-400:]}{result.stderr[-400:]}")
    marker.write_text(NEO4J_VERSION)
    return target


def write_config(home: Path, bolt_port: int) -> Path:
    """A minimal neo4j.conf: Bolt on loopback only, no HTTP, small memory, no usage reports."""
    conf_dir = home / "conf"
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    for private in ("data", "logs"):
        make_private(home / private)
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.usage_report.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.memory.pagecache.size": "256m",
        "db.tx_log.rotation.retention_policy": "2 files",
        # Request deadlines are transaction timeouts: checked every 2 s by default, so a request could
        # run up to 2 s past its deadline; 200 ms keeps it close.
        "db.transaction.monitor.check.interval": "200ms",
        # No keep-alive messages while a request runs, hence no receive-timeout hint to drivers: with
        # the hint the Python driver wraps every socket read in its own timeout task, which was most
        # of the cost of reading rows (1,000 rows: 162 ms against 67). A server that stops answering
        # is still found: every driver call runs under the breaker, which probes it (app/graph/breaker.py).
        "server.bolt.connection_keep_alive_for_requests": "OFF",
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.plugins": str(home / "plugins"),
        "server.directories.import": str(home / "import"),
    }
    (conf_dir / "neo4j.conf").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    return conf_dir


def make_private(folder: Path) -> None:
    """Owner only: the store and its logs hold registry data and the auth file (folders 0700, files 0600)."""
    folder.chmod(0o700)
    for item in folder.rglob("*"):
        if not item.is_symlink():
            item.chmod(0o700 if item.is_dir() else 0o600)


# Files the server creates later stay private too: it starts under umask 077.
PRIVATE_UMASK = ["sh", "-c", 'umask 077 && exec "$@"', "neo4j"]


def set_initial_password(java: str, libs: Path, home: Path, password: str) -> None:
    """Before the very first start only: Neo4j reads data/dbms/auth.ini once."""
    if (home / "data" / "databases").exists() or (home / "data" / "dbms" / "auth.ini").exists():
        return
    env = {"NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [java, "-cp", f"{libs}/*", ADMIN_TOOL, "dbms", "set-initial-password", password],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        umask=0o077,
    )
    if result.returncode != 0:
        raise DependencyUnavailable(f"neo4j set-initial-password failed: {result.stderr[-300:]}")


def start(java: str, libs: Path, home: Path) -> int:
    argv = [
        java,
        "-Xms256m",
        "-Xmx1g",
        "-XX:+UseG1GC",
        "-Dfile.encoding=UTF-8",
        "-cp",
        f"{libs}/*",
        ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
    ]
    env = {"NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"), "PATH": "/usr/bin:/bin"}
    return process.spawn([*PRIVATE_UMASK, *argv], log=home / "logs" / "console.log", cwd=home, env=env)


def is_ready(bolt_port: int, password: str) -> bool:
    """A Bolt session answers RETURN 1 with our credentials."""
    from neo4j import GraphDatabase

    if process.port_is_free(bolt_port):
        return False  # not listening yet; skip the driver and its retry chatter
    with (
        GraphDatabase.driver(f"bolt://127.0.0.1:{bolt_port}", auth=("neo4j", password), connection_timeout=2) as driver,
        driver.session() as session,
    ):
        record = session.run("RETURN 1 AS ok").single()
        return bool(record and record["ok"] == 1)
