"""/sparql admission counts a running place per worker thread, then the queue (issue #16: a
worker runs `sparql_worker_threads` queries at once)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from ccmkg.api.limits import SparqlAdmission
from ccmkg.errors import Busy
from ccmkg.settings import Settings


@pytest.mark.parametrize(("workers", "threads", "queue"), [(1, 1, 0), (2, 2, 0), (2, 3, 4)])
def test_places_are_workers_times_threads_plus_queue(
    workers: int, threads: int, queue: int
) -> None:
    settings = Settings(sparql_workers=workers, sparql_worker_threads=threads, sparql_queue=queue)
    admission = SparqlAdmission(settings)
    places = workers * threads + queue
    with ExitStack() as held:
        for n in range(places):  # one client each: the per-client bound stays out of the way
            held.enter_context(admission.admit(f"10.0.0.{n}"))
        with pytest.raises(Busy, match=f"All {places} places"):
            held.enter_context(admission.admit("10.0.1.1"))
    assert admission.total == 0  # every place given back
