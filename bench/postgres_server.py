"""A throw-away PostgreSQL server from Debian's package, for the DuckLake load figure and the tests.

`initdb` into a folder under /tmp (the `postgres` user cannot enter root's 0700 temporary
folders), a free port on 127.0.0.1 and the unix socket in the same folder, trust
authentication. When run as root the server runs as the `postgres` user, since initdb and
postgres refuse root. Each test asks for its own database, so tests sharing one server never
see each other's tables (fixture `postgres_server` in tests/e2e/conftest.py).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_USER = "dagster"


def postgres_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL bin folder, else wherever initdb is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and how to make databases in it."""

    bin_dir: Path
    root: Path
    port: int
    user: str = DB_USER
    host: str = "127.0.0.1"

    def run(self, *cmd: object) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL client program (as the `postgres` user when we are root)."""
        args = _as_postgres_user([str(c) for c in cmd])
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120)

    def create_database(self, name: str) -> str:
        """Create an empty database and return its name."""
        self.run(self.bin_dir / "createdb", "-h", self.host, "-p", self.port, "-U", self.user, name)
        return name

    def dagster_env(self, db_name: str) -> dict[str, str]:
        """The DAGSTER_PG_* variables deploy/dagster.postgres.yaml reads, for `db_name`."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": "unused-with-trust",
            "DAGSTER_PG_DB": db_name,
        }

    def libpq_dsn(self, db_name: str) -> str:
        """A libpq key=value connection string for `db_name` (what DuckDB's postgres extension takes)."""
        return f"dbname={db_name} host={self.host} port={self.port} user={self.user}"

    def sqlalchemy_url(self, db_name: str) -> str:
        """A SQLAlchemy URL for `db_name` (psycopg2, which dagster-postgres installs)."""
        return f"postgresql+psycopg2://{self.user}@{self.host}:{self.port}/{db_name}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres(bin_dir: Path, durable: bool = False) -> PostgresServer:
    """initdb a new cluster and start it; stop it with `stop_postgres`.

    Without `durable` the server skips fsync (tests: nothing survives them anyway)."""
    root = Path(tempfile.mkdtemp(prefix="papers-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    server = PostgresServer(bin_dir=bin_dir, root=root, port=_free_port())
    data = root / "data"
    server.run(bin_dir / "initdb", "-D", data, "-U", server.user, "--auth=trust", "-E", "UTF8")
    options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1" + ("" if durable else " -c fsync=off")
    server.run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", root / "postgres.log", "-w", "start")
    return server


def stop_postgres(server: PostgresServer) -> None:
    """Stop the server and remove its folder."""
    subprocess.run(
        _as_postgres_user([str(server.bin_dir / "pg_ctl"), "-D", str(server.root / "data"), "-m", "fast", "-w", "stop"]),
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(server.root, ignore_errors=True)


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A running (durable) server with an empty database `name`; yields its libpq connection string."""
    binaries = postgres_bin_dir()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql")
    server = start_postgres(binaries, durable=True)
    try:
        yield server.libpq_dsn(server.create_database(name))
    finally:
        stop_postgres(server)
