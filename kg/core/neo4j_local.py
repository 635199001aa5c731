"""A local Neo4j Community server resolved from Maven Central and run without Docker.

The jars are cached once per version (`Settings.neo4j_cache`); each instance directory
(`Settings.neo4j_home`) holds its own config, data, logs and password, so a dev instance
and a test instance can run side by side on different ports.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.core.config import NEO4J_BROWSER_VERSION, NEO4J_VERSION, Settings
from kg.core.errors import Neo4jSetupError
from kg.core.java import find_java

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kg.local</groupId>
  <artifactId>kg-neo4j-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{server}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId><version>{server}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId>
      <version>{browser}</version>
    </dependency>
  </dependencies>
</project>
"""

JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
]
"""Flags the official `neo4j` launcher passes; Netty and the page cache need the opens."""


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    bolt_answering: bool
    detail: str


def _lib_dir(settings: Settings) -> Path:
    return settings.neo4j_cache / "lib"


def install(settings: Settings, log=print) -> None:
    """Resolve the jars (once), write the instance config and set the initial password."""
    java = find_java(settings)
    lib = _lib_dir(settings)
    stamp = settings.neo4j_cache / "complete"
    if not stamp.exists():
        mvn = shutil.which("mvn")
        if not mvn:
            raise Neo4jSetupError(
                "Maven (`mvn`) is needed once to fetch Neo4j from Maven Central: "
                "`apt-get install maven`, then run `kg neo4j install` again."
            )
        settings.neo4j_cache.mkdir(parents=True, exist_ok=True)
        pom = settings.neo4j_cache / "pom.xml"
        pom.write_text(POM.format(server=NEO4J_VERSION, browser=NEO4J_BROWSER_VERSION))
        if lib.exists():
            shutil.rmtree(lib)
        log(f"Resolving Neo4j {NEO4J_VERSION} and Browser {NEO4J_BROWSER_VERSION} with Maven...")
        proc = subprocess.run(
            [
                mvn,
                "-B",
                "-q",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={lib}",
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise Neo4jSetupError(
                f"Maven could not resolve Neo4j {NEO4J_VERSION} (is Maven Central reachable, "
                f"and ~/.m2/settings.xml sane?):\n{tail}"
            )
        stamp.write_text(NEO4J_VERSION + "\n")
        log(f"Neo4j jars cached in {lib}")
    home = settings.neo4j_home
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(render_config(settings))
    _ensure_password(settings, java)


def render_config(settings: Settings) -> str:
    home = settings.neo4j_home
    return "\n".join(
        [
            "# Written by `kg neo4j install`; edit KG_* settings instead of this file.",
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{settings.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{settings.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{settings.http_port}",
            f"server.http.advertised_address=127.0.0.1:{settings.http_port}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            f"server.directories.data={home / 'data'}",
            f"server.directories.logs={home / 'logs'}",
            f"server.directories.run={home / 'run'}",
            f"server.directories.plugins={home / 'plugins'}",
            f"server.directories.import={home / 'import'}",
            f"server.memory.heap.initial_size={settings.neo4j_heap}",
            f"server.memory.heap.max_size={settings.neo4j_heap}",
            f"server.memory.pagecache.size={settings.neo4j_pagecache}",
            "db.transaction.timeout=60s",
            "",
        ]
    )


def _ensure_password(settings: Settings, java: Path) -> None:
    """Auth stays on: before the first start, give user neo4j a password nobody hard-coded."""
    home = settings.neo4j_home
    if (home / "data" / "databases" / "system").exists():
        return  # already started once; the password is whatever it was set to then
    password = settings.neo4j_password_env
    if not password:
        if settings.password_file.exists():
            password = settings.password_file.read_text().strip()
        else:
            password = secrets.token_hex(16)
    settings.password_file.write_text(password + "\n")
    settings.password_file.chmod(0o600)
    proc = subprocess.run(
        [
            str(java),
            "-cp",
            f"{_lib_dir(settings)}/*",
            ADMIN_TOOL,
            "dbms",
            "set-initial-password",
            "--",  # a password may start with "-"
            password,
        ],
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr)[-2000:]
        raise Neo4jSetupError(f"Setting the initial Neo4j password failed:\n{output}")


_NOISE = re.compile(r"^\s*(at |\.\.\. \d+ more|\.{10} )")
"""Stack frames and progress bars: kept out of the output quoted in an error."""


def admin(
    settings: Settings,
    args: Sequence[str],
    *,
    failure: str,
    heap: str | None = None,
    log: Callable[[str], None] | None = None,
) -> None:
    """Run `neo4j-admin ARGS` on this instance (its conf, hence its data directory).

    Output streams to `log` line by line, so a long import shows progress; on a non-zero exit
    the error is `failure` followed by the last lines of output.
    """
    java = find_java(settings)
    home = settings.neo4j_home
    cmd = [
        str(java),
        f"-Xmx{heap or settings.neo4j_heap}",
        *JVM_FLAGS,
        "-cp",
        f"{_lib_dir(settings)}/*",
        ADMIN_TOOL,
        *args,
    ]
    tail: deque[str] = deque(maxlen=30)
    with subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=home,
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
    ) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            if log is not None:
                log(line)
            if not _NOISE.match(line):
                tail.append(line)
    if proc.returncode != 0:
        output = "\n".join(tail).strip() or "(no output)"
        raise Neo4jSetupError(f"{failure} (neo4j-admin exit {proc.returncode}):\n{output}")


def _pid_file(settings: Settings) -> Path:
    return settings.neo4j_home / "run" / "kg-neo4j.pid"


def _read_pid(settings: Settings) -> int | None:
    try:
        pid = int(_pid_file(settings).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return None
    return pid if ENTRY_POINT in cmdline and str(settings.neo4j_home) in cmdline else None


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def status(settings: Settings) -> Status:
    pid = _read_pid(settings)
    bolt = port_open(settings.bolt_port)
    if pid:
        detail = f"Neo4j {NEO4J_VERSION} running (pid {pid}), bolt://127.0.0.1:{settings.bolt_port}"
        if not bolt:
            detail += " (starting: Bolt not answering yet)"
    elif bolt:
        detail = (
            f"port {settings.bolt_port} answers but not a kg-managed Neo4j in {settings.neo4j_home}"
        )
    else:
        detail = f"Neo4j not running (instance {settings.neo4j_home})"
    return Status(running=pid is not None, pid=pid, bolt_answering=bolt, detail=detail)


def start(settings: Settings, timeout: float = 180.0, log=print) -> Status:
    """Start in the background (installing first if needed) and wait until Bolt answers."""
    current = status(settings)
    if current.running and current.bolt_answering:
        log(current.detail)
        return current
    proc: subprocess.Popen[bytes] | None = None
    if not current.running:
        for port in (settings.bolt_port, settings.http_port):
            if port_open(port):
                raise Neo4jSetupError(
                    f"Port {port} on 127.0.0.1 is taken by another process. Stop it, or choose "
                    "other ports with KG_BOLT_PORT / KG_HTTP_PORT (then `kg neo4j install`)."
                )
        install(settings, log=log)
        java = find_java(settings)
        home = settings.neo4j_home
        console = open(home / "logs" / "console.log", "ab")  # noqa: SIM115 - handed to the child
        cmd = [
            str(java),
            f"-Xms{settings.neo4j_heap}",
            f"-Xmx{settings.neo4j_heap}",
            *JVM_FLAGS,
            "-cp",
            f"{_lib_dir(settings)}/*",
            ENTRY_POINT,
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
            "--console-mode",
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=home,
            start_new_session=True,
            env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        )
        console.close()
        _pid_file(settings).write_text(f"{proc.pid}\n")
        log(f"Starting Neo4j {NEO4J_VERSION} (pid {proc.pid}), logs in {home / 'logs'}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        exited = proc.poll() is not None if proc else _read_pid(settings) is None
        if exited:
            raise Neo4jSetupError(
                "Neo4j exited during start-up. Last lines of its log:\n" + _log_tail(settings)
            )
        if port_open(settings.bolt_port):
            done = status(settings)
            log(done.detail)
            return done
        time.sleep(0.5)
    raise Neo4jSetupError(
        f"Neo4j did not answer on Bolt port {settings.bolt_port} within {timeout:.0f}s. "
        "Last lines of its log:\n" + _log_tail(settings)
    )


def stop(settings: Settings, timeout: float = 60.0, log=print) -> bool:
    """Stop cleanly (SIGTERM runs Neo4j's shutdown hook); SIGKILL only after `timeout`."""
    pid = _read_pid(settings)
    if pid is None:
        log(f"Neo4j not running (instance {settings.neo4j_home})")
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _read_pid(settings) is None:
            break
        time.sleep(0.3)
    else:
        log(f"Neo4j did not stop within {timeout:.0f}s; killing pid {pid}")
        os.kill(pid, signal.SIGKILL)
    _pid_file(settings).unlink(missing_ok=True)
    log(f"Neo4j stopped (pid {pid})")
    return True


def _log_tail(settings: Settings, lines: int = 25) -> str:
    text = ""
    for name in ("console.log", "neo4j.log", "debug.log"):
        path = settings.neo4j_home / "logs" / name
        if path.exists():
            text = path.read_text(errors="replace")
            if text.strip():
                break
    return "\n".join(text.strip().splitlines()[-lines:]) or "(no log output)"
