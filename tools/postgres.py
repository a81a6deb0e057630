"""A local PostgreSQL server for development and tests (Debian's binaries), on 127.0.0.1 only.

    python tools/postgres.py start [--dir .postgres]   # prints the catalog's URL
    python tools/postgres.py stop [--dir .postgres]

The server's files are DIR/data (initdb: UTF-8, locale C, trust on 127.0.0.1 for the user
`diariet`), its log DIR/server.log, its socket in DIR; it serves one database, `diariet`, on a
free port kept in DIR/postgres.json. PostgreSQL refuses to run as root: started by root, it runs
as the `postgres` user (Debian's package makes it) or else `nobody`, and DIR is handed to that
user. `stop` is `pg_ctl stop` on DIR/data: only this server, whatever else runs on the machine.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".postgres"
USER = "diariet"
DATABASE = "diariet"


class PostgresError(RuntimeError):
    pass


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, or the newest of Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def missing() -> str | None:
    """Why no server can be started here, or None."""
    if bin_dir() is None:
        return "PostgreSQL's binaries are not installed (apt-get install postgresql)"
    return None


def _runner() -> list[str]:
    """The command prefix that runs a server program as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    raise PostgresError("PostgreSQL kan inte köras som root och varken användaren postgres eller nobody finns")


def _hand_over(directory: Path) -> None:
    """Make DIR the server user's (when root starts it as another user)."""
    runner = _runner()
    if runner:
        user = pwd.getpwnam(runner[2])
        for parent in directory.parents:
            if not os.stat(parent).st_mode & 0o001:
                raise PostgresError(f"{parent} är stängd för andra användare: {runner[2]} når inte {directory}")
        for path in (directory, *directory.rglob("*")):
            os.chown(path, user.pw_uid, user.pw_gid)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return self.url_of(DATABASE)

    def url_of(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"


def _run(args: list[str], timeout: float) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise PostgresError(f"{' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")


def start(directory: Path = DEFAULT_DIR, timeout: float = 60) -> Server:
    """Initialize DIR/data if new, start the server on a free port, create the database."""
    where = bin_dir()
    if where is None:
        raise PostgresError(missing() or "")
    directory = directory.absolute()
    data = directory / "data"
    directory.mkdir(parents=True, exist_ok=True)
    state = directory / "postgres.json"
    if state.is_file() and (data / "postmaster.pid").is_file():
        return Server(directory, json.loads(state.read_text())["port"])  # running already
    _hand_over(directory)
    runner = _runner()
    if not (data / "PG_VERSION").is_file():
        _run([*runner, str(where / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
              "--encoding=UTF8", "--locale=C", "--no-sync"], timeout)
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off -c max_connections=50"
    _run([*runner, str(where / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"),
          "-w", "-t", str(int(timeout)), "-o", options, "start"], timeout + 10)
    state.write_text(json.dumps({"port": port}))
    server = Server(directory, port)
    create_database(server, DATABASE)
    return server


def create_database(server: Server, name: str) -> str:
    """A new empty database on the server (if it does not exist); its URL."""
    import psycopg

    with psycopg.connect(server.url_of("postgres"), autocommit=True, connect_timeout=30) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            db.execute(f'CREATE DATABASE "{name}"')
    return server.url_of(name)


def stop(directory: Path = DEFAULT_DIR, timeout: float = 60) -> bool:
    """Stop the server of DIR (fast: sessions are ended); False if it was not running."""
    directory = directory.absolute()
    data = directory / "data"
    where = bin_dir()
    if where is None or not (data / "postmaster.pid").is_file():
        return False
    _run([*_runner(), str(where / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"],
         timeout + 10)
    (directory / "postgres.json").unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/postgres.py", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("start", "stop"))
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = p.parse_args(argv)
    try:
        if args.command == "start":
            print(start(args.dir).url)
        elif not stop(args.dir):
            print(f"ingen server i {args.dir}", file=sys.stderr)
    except (PostgresError, subprocess.TimeoutExpired) as e:
        print(f"fel: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
