"""GET /health: is the store reachable, what kind, how much data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from ccmkg import __version__
from ccmkg.api.deps import get_store
from ccmkg.store import Store

router = APIRouter(tags=["service"])


@router.get("/health")
def health(store: Store = Depends(get_store)) -> dict[str, Any]:
    """Store kind, triple count and named graphs, and the service version."""
    graphs = store.graphs()
    return {
        "status": "ok",
        "version": __version__,
        "store": store.kind,
        "triples": sum(graphs.values()),
        "named_graphs": len(graphs),
    }
