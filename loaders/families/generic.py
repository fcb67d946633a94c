"""Documents of no known family: only the kinds that do not depend on layout."""

from __future__ import annotations

from ccmkg.loaders.readers.agenda import read_action_points
from ccmkg.loaders.readers.attendance import read_apologies, read_attendance
from ccmkg.loaders.readers.context import Ctx
from ccmkg.loaders.readers.duties import read_extension_requests
from ccmkg.loaders.readers.holdings import holders_of, read_sentence_holdings
from ccmkg.loaders.readers.obligations import read_aggregates, read_obligations
from ccmkg.loaders.readers.working_groups import read_working_groups
from ccmkg.loaders.registry import Family
from ccmkg.model.terms import CCM


def extract(ctx: Ctx) -> None:
    ctx.warn("document family not recognised: only generic facts were read")
    read_attendance(ctx)
    read_apologies(ctx)
    read_sentence_holdings(ctx)
    read_action_points(ctx)
    read_obligations(ctx, holders_of(ctx, "coordinator", "president"))
    read_aggregates(ctx)
    read_extension_requests(ctx)
    read_working_groups(ctx)


FAMILY = Family("unknown", CCM.UnknownFamily, lambda head: 0, extract, fallback=True)
