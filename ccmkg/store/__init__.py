"""Open the store named by the settings: a directory → embedded pyoxigraph, a URL → remote."""

from __future__ import annotations

from ccmkg.settings import Settings
from ccmkg.store.base import ProtocolResult, Rows, Store

__all__ = ["ProtocolResult", "Rows", "Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """The store for these settings; the caller closes it."""
    if settings.is_remote:
        from ccmkg.store.remote import RemoteStore

        return RemoteStore(settings)
    from ccmkg.store.embedded import EmbeddedStore

    return EmbeddedStore(settings)
