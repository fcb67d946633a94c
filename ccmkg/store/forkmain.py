"""Preloaded in the forkserver (workers.py): the parent's main script, imported there once.

Why by hand: a child of the forkserver runs multiprocessing's spawn preparation, which imports
the parent's main script again unless its `__main__` is that script already. CPython's own way
to preload it (`"__main__"` in `set_forkserver_preload`) does nothing in 3.11: the forkserver
looks for a `main_path` key that spawn's preparation data names `init_main_from_path`. For the
`ccmkg` console script that import is the whole CLI (~0.3 s, pyshacl included) in every query
worker, which the first query after each write waited for (issue #16).
"""

from __future__ import annotations

import logging
import os
from multiprocessing import spawn

# The variable workers.py sets in the server (`FORKSERVER_MAIN_ENV`). Not imported from there:
# importing workers.py here would set it again, to the forkserver's own (empty) main.
MAIN_ENV = "CCMKG_FORKSERVER_MAIN"


def preload_main() -> None:
    """Import the main script the server runs as `__main__` here, as spawn would in a child;
    on any failure the children import it themselves, as before."""
    main_path = os.environ.get(MAIN_ENV)
    if not main_path:
        return
    try:
        spawn.import_main_path(main_path)
    except Exception:  # e.g. a script that fails when imported: each child reports it
        logging.getLogger(__name__).debug("main script not preloaded", exc_info=True)


preload_main()
