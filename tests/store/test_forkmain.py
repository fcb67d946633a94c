"""The server's main script is imported once in the forkserver, not again in each query worker
(ccmkg/store/forkmain.py): for the `ccmkg` console script that import is the whole CLI, which
the first query after every write waited for (~0.27 s at 1M triples, issue #16)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
        if sys.argv[1] == "off":  # as before: the forkserver is told no main script
            os.environ[workers.FORKSERVER_MAIN_ENV] = ""
        for _ in range(3):
            p = workers._CLEAN.Process(target=os.getpid)
            p.start()
            p.join()
            assert p.exitcode == 0, p.exitcode
    """
)


def _imports(tmp_path: Path, mode: str) -> list[str]:
    log = tmp_path / f"imports-{mode}.txt"
    script = tmp_path / "main_script.py"
    script.write_text(SCRIPT.format(root=str(ROOT), log=str(log)))
    subprocess.run([sys.executable, str(script), mode], check=True, timeout=120)
    return log.read_text().split()


def test_three_workers_import_the_main_script_once_in_the_forkserver(tmp_path: Path) -> None:
    assert _imports(tmp_path, "on") == ["__main__", "__mp_main__"]


def test_without_the_preload_each_worker_imports_it_again(tmp_path: Path) -> None:
    """What the preload saves (and proof that the test above can fail)."""
    assert _imports(tmp_path, "off") == ["__main__", *["__mp_main__"] * 3]


def test_the_forkserver_reads_the_variable_the_server_sets() -> None:
    assert forkmain.MAIN_ENV == workers.FORKSERVER_MAIN_ENV
