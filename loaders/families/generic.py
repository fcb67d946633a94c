"""Documents of no known family: only the kinds that do not depend on layout."""

from __future__ import annotations

from ccmkg.loaders.families import common as c


def extract(ctx: c.Ctx) -> None:
    ctx.warn("document family not recognised: only generic facts were read")
    c.read_attendance(ctx)
    c.read_apologies(ctx)
    c.read_sentence_holdings(ctx)
    c.read_action_points(ctx)
    c.read_obligations(ctx, c.holders_of(ctx, "coordinator", "president"))
    c.read_aggregates(ctx)
