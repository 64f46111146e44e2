"""A throw-away PostgreSQL server for the tests: ``initdb`` into a temporary folder, listen only on a Unix socket in
it, and delete it all at the end of the session. Each test that asks for ``postgres_url`` gets a database of its own.

The server comes from the ``pgserver`` wheel (a dev dependency: ``pip install -e ".[dev]"`` is all a machine needs),
or, where no wheel exists for the platform, from a PostgreSQL on PATH or Debian's ``/usr/lib/postgresql``. Without
any, the PostgreSQL half of the tests is skipped with that reason, except in CI (``CI`` set), where it fails.
PostgreSQL refuses to run as root, so under root (as CI runs) the server runs as the unprivileged ``nobody``, from a
copy of the wheel's server in the temporary folder if ``nobody`` cannot reach the wheel where it is installed.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

UNPRIVILEGED = "nobody"


def find_server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: pgserver's wheel first, then the machine's PostgreSQL."""
    spec = importlib.util.find_spec("pgserver")  # found without importing it: only its files are needed
    if spec is not None and spec.submodule_search_locations:
        wheel = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (wheel / "initdb").exists():
            return wheel
    on_path = shutil.which("pg_ctl")
    if on_path is not None:
        return Path(on_path).resolve().parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return debian[-1].parent if debian else None


def copy_of_wheel_server(binaries: Path, destination: Path) -> Path:
    """Copy pgserver's ``pginstall`` and the libraries beside its package (``pgserver.libs``, which the binaries find
    at ``$ORIGIN/../../../pgserver.libs``) to ``destination``, in the same layout; returns the copy's ``bin``."""
    install = binaries.parent
    shutil.copytree(install, destination / install.parent.name / install.name, symlinks=True)
    libraries = install.parent.parent / f"{install.parent.name}.libs"
    if libraries.is_dir():
        shutil.copytree(libraries, destination / libraries.name, symlinks=True)
    return destination / install.parent.name / install.name / binaries.name


class PostgresServer:
    """One running cluster in ``folder``: ``postgres`` superuser, trust authentication, no TCP port."""

    def __init__(self, binaries: Path, folder: Path) -> None:
        self.binaries = binaries
        self.folder = folder
        self._names = itertools.count(1)
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            account = pwd.getpwnam(UNPRIVILEGED)
            self._as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
            os.chown(folder, account.pw_uid, account.pw_gid)
            if not self._can_run():  # installed under a folder closed to others (a home folder, say)
                self.binaries = copy_of_wheel_server(binaries, folder / "server")

    def _can_run(self) -> bool:
        try:
            subprocess.run([str(self.binaries / "postgres"), "--version"], capture_output=True, check=True, **self._as)
        except (OSError, subprocess.CalledProcessError):
            return False
        return True

    def _run(self, program: str, *args: str) -> None:
        finished = subprocess.run(
            [str(self.binaries / program), *args], capture_output=True, text=True, check=False, timeout=60, **self._as
        )
        if finished.returncode != 0:
            log = self.folder / "log"
            server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            raise RuntimeError(f"{program} failed ({finished.returncode}): {finished.stderr}{server_log}")

    def start(self) -> None:
        """initdb without fsync, then start with fsync off: the data is thrown away, speed is what counts."""
        data = str(self.folder / "data")
        self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        options = f"-k {self.folder} -c listen_addresses= -F"
        self._run("pg_ctl", "-D", data, "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL to ``database`` through the socket in :attr:`folder`."""
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        name = f"test_{next(self._names)}"
        self._run("createdb", "-h", str(self.folder), "-U", "postgres", name)
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started on first use."""
    binaries = find_server_binaries()
    if binaries is None:
        reason = "no PostgreSQL server binaries (the pgserver wheel, or pg_ctl on PATH): PostgreSQL tests not run"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="studybot-pg-"))
    server = PostgresServer(binaries, folder)
    try:
        server.start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.new_database()
