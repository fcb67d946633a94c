"""A real Virtuoso 7 (Debian's `virtuoso-opensource`) for the remote-store tests (never a mock).

`virtuoso_server(folder)` writes a minimal virtuoso.ini whose database, logs and temp files
live in `folder`, binds both its SQL and HTTP ports to 127.0.0.1 (free ports), starts
`virtuoso-t` in the foreground, waits for /sparql, then, over SQL (`isql-vt`), gives `dba` a
random password and creates a user holding the SPARQL_UPDATE role. It yields a
`VirtuosoServer`: the anonymous read endpoint `/sparql`, and `/sparql-auth` (HTTP digest) for
updates, as a deployment would use them. The process is stopped on exit.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from devtools.server import free_port

START_TIMEOUT_S = 180.0  # a fresh database is created at first start (tens of seconds here)
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"
UPDATE_USER = "ccmkg"


@dataclass(frozen=True)
class VirtuosoServer:
    base: str  # http://127.0.0.1:PORT
    user: str
    password: str

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base}/sparql-auth"


def virtuoso_binaries() -> tuple[Path, Path]:
    """`virtuoso-t` and `isql-vt`.

    Raises:
        RuntimeError: not installed; `./dev.sh test` installs Debian's `virtuoso-opensource`.
    """
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        raise RuntimeError(
            "Virtuoso is not installed: run `./dev.sh test` as root, or "
            "`apt-get install virtuoso-opensource` (binaries virtuoso-t and isql-vt)."
        )
    return Path(server), Path(isql)


def _ini(folder: Path, sql_port: int, http_port: int, timeout_s: int) -> str:
    db = folder / "db"
    return f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {VAD_DIR}
VADInstallDir = {VAD_DIR}/
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_server(folder: Path, *, timeout_s: int = 60) -> Iterator[VirtuosoServer]:
    """Start Virtuoso on a database in `folder`; yields its endpoints; stops it on exit.

    Raises:
        RuntimeError: not installed, or it did not answer in time (its log in the message).
    """
    server_bin, isql = virtuoso_binaries()
    (folder / "db").mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_ini(folder, sql_port, http_port, timeout_s), encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    proc = subprocess.Popen(
        [str(server_bin), "+foreground", "+configfile", str(ini)],
        cwd=folder / "db", stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    log.close()
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_ready(proc, base, folder)
        password = secrets.token_hex(12)
        _sql(isql, sql_port, "dba", [
            f"DB.DBA.USER_CREATE('{UPDATE_USER}', '{password}');",
            f'GRANT SPARQL_UPDATE TO "{UPDATE_USER}";',
            f"USER_SET_PASSWORD('dba', '{secrets.token_hex(12)}');",
        ])  # fmt: skip
        yield VirtuosoServer(base, UPDATE_USER, password)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _sql(isql: Path, port: int, password: str, statements: list[str]) -> None:
    """Run SQL statements as dba over 127.0.0.1 (first start: dba's password is `dba`)."""
    result = subprocess.run(
        [str(isql), f"127.0.0.1:{port}", "dba", password, f"exec={' '.join(statements)}"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if result.returncode != 0 or "Error" in result.stdout + result.stderr:
        raise RuntimeError(f"isql-vt failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")


def _wait_ready(proc: subprocess.Popen[bytes], base: str, folder: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            r = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    proc.wait()
    text = ""
    for name in ("stdout.log", "db/virtuoso.log"):
        path = folder / name
        if path.exists():
            text += path.read_text(encoding="utf-8", errors="replace")[-2000:]
    raise RuntimeError(f"Virtuoso did not start in {START_TIMEOUT_S:g} s:\n{text}")
