"""The server's main script or module is imported once in the forkserver, not again in each query
worker (ccmkg/store/forkmain.py): for the `ccmkg` console script that import is the whole CLI,
which the first query after every write waited for (~0.27 s at 1M triples, issue #16); for
`python -m devtools.serve_child` (the reliability tests' server) the whole app, which made
every upload wait 3-6 s on a loaded machine (stop 28)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ccmkg.store import forkmain, workers

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    with open({log!r}, "a") as log:  # every process that imports this script says so
        log.write(__name__ + "\\n")
    if __name__ == "__main__":
        from ccmkg.store import workers
        if sys.argv[1] == "off":  # as before: the forkserver is told no main
            os.environ[workers.FORKSERVER_MAIN_ENV] = ""
            os.environ[workers.FORKSERVER_MAIN_NAME_ENV] = ""
        for _ in range(3):
            p = workers._CLEAN.Process(target=os.getpid)
            p.start()
            p.join()
            assert p.exitcode == 0, p.exitcode
    """
)


def _imports(tmp_path: Path, mode: str, run: str) -> list[str]:
    """The names under which the main was imported, run as a script (`python path.py`) or as
    a module (`python -m name`)."""
    log = tmp_path / f"imports-{mode}-{run}.txt"
    script = tmp_path / "main_script.py"
    script.write_text(SCRIPT.format(root=str(ROOT), log=str(log)))
    how = [str(script)] if run == "script" else ["-m", "main_script"]
    subprocess.run([sys.executable, *how, mode], check=True, timeout=120, cwd=tmp_path)
    return log.read_text().split()


@pytest.mark.parametrize("run", ["script", "module"])
def test_three_workers_import_the_main_once_in_the_forkserver(tmp_path: Path, run: str) -> None:
    assert _imports(tmp_path, "on", run) == ["__main__", "__mp_main__"]


@pytest.mark.parametrize("run", ["script", "module"])
def test_without_the_preload_each_worker_imports_it_again(tmp_path: Path, run: str) -> None:
    """What the preload saves (and proof that the test above can fail)."""
    assert _imports(tmp_path, "off", run) == ["__main__", *["__mp_main__"] * 3]


def test_the_forkserver_reads_the_variables_the_server_sets() -> None:
    assert forkmain.MAIN_ENV == workers.FORKSERVER_MAIN_ENV
    assert forkmain.MAIN_NAME_ENV == workers.FORKSERVER_MAIN_NAME_ENV
