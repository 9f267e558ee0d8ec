"""A throw-away PostgreSQL server for the DuckLake load figure, started as
tests/e2e/postgres_server.py starts the tests' one: initdb into a folder under /tmp, a unix socket
there, trust authentication, run as the `postgres` user when we are root. None when the Debian
binaries are missing (the benchmark then skips the figure and says why)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "bench"


def bin_dir() -> Path | None:
    """The newest Debian PostgreSQL bin folder, else wherever initdb is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(cmd: list) -> list[str]:
    cmd = [str(c) for c in cmd]
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A running server with an empty database `name`; yields its libpq connection string."""
    binaries = bin_dir()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql")
    root = Path(tempfile.mkdtemp(prefix="papers-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = root / "data"

    def run(*cmd) -> None:
        subprocess.run(_as_postgres(list(cmd)), check=True, capture_output=True, timeout=120)

    try:
        run(binaries / "initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
        run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", root / "postgres.log", "-w", "start")
        try:
            run(binaries / "createdb", "-h", "127.0.0.1", "-p", port, "-U", USER, name)
            yield f"dbname={name} host=127.0.0.1 port={port} user={USER}"
        finally:
            subprocess.run(
                _as_postgres([binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]), capture_output=True, timeout=120
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
