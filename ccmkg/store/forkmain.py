"""Preloaded in the forkserver (workers.py): the parent's main script or module, imported once.

Why by hand: a child of the forkserver runs multiprocessing's spawn preparation, which imports
the parent's main script again unless its `__main__` is that script already. CPython's own way
to preload it (`"__main__"` in `set_forkserver_preload`) does nothing in 3.11: the forkserver
looks for a `main_path` key that spawn's preparation data names `init_main_from_path`. For the
`ccmkg` console script that import is the whole CLI (~0.3 s, pyshacl included) in every query
worker, which the first query after each write waited for (issue #16). A module run with
`python -m` (`init_main_from_name`) is imported again the same way unless it is a package's
`__main__`: `python -m devtools.serve_child`, the server of the reliability tests, built the
whole app in every new worker (0.5-1 s of CPU each; an upload, which renews the workers, took
3-6 s instead of 0.5-1 s on a loaded 2-core machine, stop 28).
"""

from __future__ import annotations

import logging
import os
from multiprocessing import spawn

# The variables workers.py sets in the server (`FORKSERVER_MAIN_ENV`, `FORKSERVER_MAIN_NAME_ENV`).
# Not imported from there: importing workers.py here would set them again, to the forkserver's
# own (empty) main.
MAIN_ENV = "CCMKG_FORKSERVER_MAIN"
MAIN_NAME_ENV = "CCMKG_FORKSERVER_MAIN_NAME"


def preload_main() -> None:
    """Import the main script or module the server runs as `__main__` here, as spawn would in
    a child (which then finds it in place and imports nothing); on any failure the children
    import it themselves, as before."""
    main_name = os.environ.get(MAIN_NAME_ENV)
    main_path = os.environ.get(MAIN_ENV)
    try:
        if main_name:
            spawn.prepare({"init_main_from_name": main_name})
        elif main_path:
            spawn.import_main_path(main_path)
    except Exception:  # e.g. a script that fails when imported: each child reports it
        logging.getLogger(__name__).debug("main not preloaded", exc_info=True)


preload_main()
